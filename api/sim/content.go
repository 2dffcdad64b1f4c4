package sim

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
)

// MaxKeptUploads bounds the bytes of uploaded files the engine keeps to
// serve back; past it the oldest are dropped (and then served as filler).
const MaxKeptUploads = 32 << 20

// FileContent returns a file of an execution and its bytes: what was
// uploaded while the engine still keeps it, else deterministic filler of
// the file's size that starts like a file of its type. The reader is the
// caller's and stays valid after the engine moves on.
func (e *Engine) FileContent(executionID, fileID string) (File, io.ReadSeeker, error) {
	e.lock()
	defer e.mu.Unlock()
	r, err := e.run(executionID)
	if err != nil {
		return File{}, nil, err
	}
	i := slices.IndexFunc(r.x.Files, func(f File) bool { return f.ID == fileID })
	if i < 0 {
		return File{}, nil, notFound("file", fileID)
	}
	f := r.x.Files[i]
	if data, ok := e.blobs.get(f.ID); ok && int64(len(data)) == f.Size {
		return f, bytes.NewReader(data), nil
	}
	return f, io.NewSectionReader(newFiller(f), 0, f.Size), nil
}

// Secret returns a key for purpose (such as signing download URLs) derived
// from the engine's private key: the same for the same key, unguessable
// without it.
func (e *Engine) Secret(purpose string) []byte {
	m := hmac.New(sha256.New, e.secret)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// Observe has fn called with every activity recorded from now on (not the
// history seeded before) and the execution as it stands after it; nil
// stops. fn runs under the engine's lock: it must return at once (hand the
// event to a queue) and must not call the engine.
func (e *Engine) Observe(fn func(Execution, Activity)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.observer = fn
}

// Sign signs data with the engine's private key: RSA PKCS#1 v1.5 over its
// SHA-256, verifiable with PublicKeyPEM (how the simulator signs webhooks).
func (e *Engine) Sign(data []byte) ([]byte, error) {
	sum := sha256.Sum256(data)
	return rsa.SignPKCS1v15(nil, e.key, crypto.SHA256, sum[:])
}

func secretOf(key []byte) []byte {
	sum := sha256.Sum256(key)
	return sum[:]
}

func privateKeyBytes(e *Engine) []byte { return x509.MarshalPKCS1PrivateKey(e.key) }

// filler is the content of a file whose bytes the engine never had: a
// header by type, then one line naming the file, repeated.
type filler struct {
	head, line []byte
}

func newFiller(f File) filler {
	var head string
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".pdf":
		head = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
	case ".csv":
		head = "line,file,note\n"
	case ".json":
		head = "[\n"
	case ".png":
		head = "\x89PNG\r\n\x1a\n"
	}
	return filler{head: []byte(head), line: []byte(fmt.Sprintf("%s: simulated content of file %s\n", path.Base(f.Name), f.ID))}
}

// ReadAt implements io.ReaderAt over the endless pattern.
func (c filler) ReadAt(p []byte, off int64) (int, error) {
	for i := range p {
		pos := off + int64(i)
		if pos < int64(len(c.head)) {
			p[i] = c.head[pos]
			continue
		}
		p[i] = c.line[(pos-int64(len(c.head)))%int64(len(c.line))]
	}
	return len(p), nil
}

// blobStore keeps uploaded bytes by file id, oldest dropped first past max.
type blobStore struct {
	max   int64
	size  int64
	data  map[string][]byte
	order []string
}

func (b *blobStore) put(id string, data []byte) {
	if int64(len(data)) > b.max {
		return
	}
	if b.data == nil {
		b.data = map[string][]byte{}
	}
	b.data[id] = data
	b.order = append(b.order, id)
	b.size += int64(len(data))
	for b.size > b.max && len(b.order) > 0 {
		old := b.order[0]
		b.order = b.order[1:]
		b.size -= int64(len(b.data[old]))
		delete(b.data, old)
	}
}

func (b *blobStore) get(id string) ([]byte, bool) {
	d, ok := b.data[id]
	return d, ok
}

// rename moves a staged file's bytes to the file it became.
func (b *blobStore) rename(from, to string) {
	d, ok := b.data[from]
	if !ok {
		return
	}
	delete(b.data, from)
	b.data[to] = d
	if i := slices.Index(b.order, from); i >= 0 {
		b.order[i] = to
	}
}
