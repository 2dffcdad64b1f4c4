package asteroidsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api/sim"
)

// Downloads. Every file's signedUrl (downloadUrl, presignedUrl) points at
// GET /files/{executionId}/{fileId}/{name} on the file server (FilesURL, or
// the API's own origin), signed like a pre-signed storage URL: an HMAC of
// the ids, the signing time and the lifetime, under a key only the engine
// has. The URL needs no API key and expires after URLExpiry.

// URLExpiry is how long a download URL is valid after the listing that
// gave it out.
const URLExpiry = time.Hour

const (
	filesPrefix = "/files/"
	amzDate     = "20060102T150405Z"
	maxExpiry   = 7 * 24 * 60 * 60 // seconds, as S3
)

// urlSigner signs and checks download URLs for one engine.
type urlSigner struct {
	e   *sim.Engine
	key []byte
}

func newSigner(e *sim.Engine) urlSigner { return urlSigner{e: e, key: e.Secret("download-urls")} }

func (s urlSigner) mac(executionID, fileID, date, expires string) []byte {
	m := hmac.New(sha256.New, s.key)
	fmt.Fprintf(m, "GET\n%s\n%s\n%s\n%s", executionID, fileID, date, expires)
	return m.Sum(nil)
}

// url is f's download URL on origin, valid for URLExpiry from now.
func (s urlSigner) url(origin string, f sim.File) string {
	date := s.e.Now().UTC().Truncate(time.Minute).Format(amzDate) // stable within a minute
	expires := strconv.Itoa(int(URLExpiry / time.Second))
	q := url.Values{
		"X-Amz-Algorithm": {"AWS4-HMAC-SHA256"}, "X-Amz-Date": {date}, "X-Amz-Expires": {expires},
		"X-Amz-Signature": {hex.EncodeToString(s.mac(f.ExecutionID, f.ID, date, expires))},
	}
	return strings.TrimRight(origin, "/") + filesPrefix + url.PathEscape(f.ExecutionID) + "/" + url.PathEscape(f.ID) + "/" +
		url.PathEscape(f.Name) + "?" + q.Encode()
}

// check verifies a request's signature and lifetime.
func (s urlSigner) check(r *http.Request, executionID, fileID string) (code, msg string) {
	q := r.URL.Query()
	date, expires := q.Get("X-Amz-Date"), q.Get("X-Amz-Expires")
	sig, err := hex.DecodeString(q.Get("X-Amz-Signature"))
	if err != nil || len(sig) == 0 || !hmac.Equal(sig, s.mac(executionID, fileID, date, expires)) {
		return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
	}
	at, err1 := time.Parse(amzDate, date)
	secs, err2 := strconv.Atoi(expires)
	if err1 != nil || err2 != nil || secs < 1 || secs > maxExpiry {
		return "AuthorizationQueryParametersError", "X-Amz-Date or X-Amz-Expires is malformed."
	}
	if s.e.Now().After(at.Add(time.Duration(secs) * time.Second)) {
		return "AccessDenied", "Request has expired"
	}
	return "", ""
}

// fileHandler serves file bytes behind signed URLs.
type fileHandler struct{ s urlSigner }

// NewFileHandler serves the bytes behind e's download URLs
// (GET /files/{executionId}/{fileId}/{name}), checking each URL's signature
// and lifetime; no API key is needed. Start serves it on a loopback address
// of its own; a handler whose HandlerOptions.FilesURL is empty serves it
// itself. Errors are S3's XML ones: 403 for a bad or expired signature, 404
// for a file that is gone.
func NewFileHandler(e *sim.Engine) http.Handler {
	h := fileHandler{s: newSigner(e)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+filesPrefix+"{executionId}/{fileId}/{name}", h.serve) // and HEAD
	mux.HandleFunc(filesPrefix, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
			return
		}
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	})
	return mux
}

func (h fileHandler) serve(w http.ResponseWriter, r *http.Request) {
	executionID, fileID := r.PathValue("executionId"), r.PathValue("fileId")
	if code, msg := h.s.check(r, executionID, fileID); code != "" {
		s3Error(w, http.StatusForbidden, code, msg)
		return
	}
	f, content, err := h.s.e.FileContent(executionID, fileID)
	if err != nil {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	w.Header().Set("Content-Type", f.MimeType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	w.Header().Set("ETag", `"`+f.ID+`"`)
	http.ServeContent(w, r, "", f.CreatedAt, content) // Content-Length is the file's size; Range works
}

// s3Error writes an S3-style XML error.
func s3Error(w http.ResponseWriter, status int, code, msg string) {
	body, _ := xml.Marshal(struct {
		XMLName xml.Name `xml:"Error"`
		Code    string   `xml:"Code"`
		Message string   `xml:"Message"`
	}{Code: code, Message: msg})
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(xml.Header)+len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

// filesOrigin is the origin download URLs point at for r: the file server,
// or the API's own origin when it serves the files itself.
func (h *handler) filesOrigin(r *http.Request) string {
	if h.filesURL != "" {
		return h.filesURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// signed returns files with their download URLs signed for r.
func (h *handler) signed(r *http.Request, files []sim.File) []sim.File {
	out := make([]sim.File, len(files))
	origin := h.filesOrigin(r)
	for i, f := range files {
		f.URL = h.signer.url(origin, f)
		out[i] = f
	}
	return out
}
