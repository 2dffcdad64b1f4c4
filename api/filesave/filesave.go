// Package filesave saves an execution's files to disk: safe names (no path
// traversal, no hidden or control characters), no overwriting unless asked,
// and atomic writes (a file appears complete, of the size listed, or not at
// all). The CLI's files download and the dashboard's save key share it.
package filesave

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/agentop/agentop/api"
)

// ErrExists is returned (wrapped) when the file to write exists and
// Options.Force is not set.
var ErrExists = errors.New("the file exists")

// maxName bounds a file name, in bytes (most file systems' limit).
const maxName = 255

// Options tune Save.
type Options struct {
	// Name is the file name to write; empty: SafeName(f.Name), or the
	// file's id when that leaves nothing. It is made safe either way.
	Name string
	// Force replaces an existing file.
	Force bool
	// Progress, when set, is called as bytes arrive with the count so far
	// and the size expected (0 when unknown). It runs on the downloading
	// goroutine and should return quickly.
	Progress func(done, total int64)
}

// Save downloads f with dl into dir and returns the path written and its
// size. The bytes go to a temporary file in dir that takes the final name
// only once the download is complete and its size checked; on any failure
// nothing is left behind. Without opt.Force an existing file is never
// replaced (ErrExists), even one created while the download ran.
func Save(ctx context.Context, dl api.FileDownloader, f api.File, dir string, opt Options) (string, int64, error) {
	name := SafeName(opt.Name)
	if name == "" {
		name = SafeName(f.Name)
	}
	if name == "" {
		name = SafeName(f.ID)
	}
	if name == "" {
		return "", 0, errors.New("the file has no usable name")
	}
	dest := filepath.Join(dir, name)
	if !opt.Force {
		if _, err := os.Lstat(dest); err == nil {
			return dest, 0, fmt.Errorf("%s: %w", dest, ErrExists)
		}
	}
	tmp, err := os.CreateTemp(dir, ".agentop-"+truncate(name, 100)+".*.part")
	if err != nil {
		return dest, 0, err
	}
	committed := false
	defer func() {
		if !committed {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	var w io.Writer = tmp
	if opt.Progress != nil {
		w = &progressWriter{w: tmp, total: max(f.Size, 0), fn: opt.Progress}
	}
	n, err := dl.Download(ctx, f, w)
	if err != nil {
		return dest, n, err
	}
	if f.Size > 0 && n != f.Size { // the downloader checks; this guards the file itself
		return dest, n, fmt.Errorf("got %d bytes of %d", n, f.Size)
	}
	if err := tmp.Sync(); err != nil {
		return dest, n, err
	}
	if err := tmp.Close(); err != nil {
		return dest, n, err
	}
	if err := place(tmp.Name(), dest, opt.Force); err != nil {
		return dest, n, err
	}
	committed = true
	return dest, n, nil
}

// place moves the finished temporary file to dest: a rename when replacing
// is allowed, else a hard link that fails if dest exists (then the
// temporary file goes), falling back to a checked rename where the file
// system has no hard links.
func place(tmp, dest string, force bool) error {
	if force {
		return os.Rename(tmp, dest)
	}
	err := os.Link(tmp, dest)
	switch {
	case err == nil:
		return os.Remove(tmp)
	case errors.Is(err, os.ErrExist):
		return fmt.Errorf("%s: %w", dest, ErrExists)
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("%s: %w", dest, ErrExists)
	}
	return os.Rename(tmp, dest)
}

// SafeName turns a name from the platform into one safe to create in a
// directory: only its last path element (either slash), without control,
// bidi-override and other invisible format characters, with characters
// file systems reserve (<>:"|?*) replaced by "_", a leading dot replaced
// (no hidden files) and at most 255 bytes, keeping the extension. It
// returns "" when nothing usable is left ("", ".", "..").
func SafeName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			// dropped: controls, bidi overrides, zero-width characters
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.TrimRight(strings.TrimSpace(b.String()), ". ")
	if name == "" || strings.Trim(name, ".") == "" {
		return ""
	}
	if name[0] == '.' {
		name = "_" + name[1:]
	}
	if len(name) > maxName {
		ext := filepath.Ext(name)
		if len(ext) > 20 {
			ext = ""
		}
		name = truncate(strings.TrimSuffix(name, ext), maxName-len(ext)) + ext
	}
	return name
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// progressWriter reports bytes as they are written.
type progressWriter struct {
	w     io.Writer
	done  int64
	total int64
	fn    func(done, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.done += int64(n)
	p.fn(p.done, p.total)
	return n, err
}
