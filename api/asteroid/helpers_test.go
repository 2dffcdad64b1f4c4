package asteroid

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	testKey = "sk-live-4f3c2b1a0e9d8c7b"
	testOrg = "0f3a0000-0000-4000-8000-00000000000a"
)

// captured is a request as the fake server saw it.
type captured struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
}

// fakeAPI is an httptest server with routes registered per test; it records
// every request it gets.
type fakeAPI struct {
	t   *testing.T
	mux *http.ServeMux
	srv *httptest.Server

	mu   sync.Mutex
	reqs []captured
}

func newFake(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, mux: http.NewServeMux()}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, captured{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
		f.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// client returns a client for the fake, with opts applied on top of the
// test defaults.
func (f *fakeAPI) client(mods ...func(*Options)) *Client {
	f.t.Helper()
	opts := Options{BaseURL: f.srv.URL, APIKey: testKey, OrganizationID: testOrg}
	for _, m := range mods {
		m(&opts)
	}
	c, err := New(opts)
	require.NoError(f.t, err)
	return c
}

// reply registers pattern to answer with status, body and content type.
func (f *fakeAPI) reply(pattern string, status int, contentType, body string) {
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// json registers pattern to answer 200 with a JSON body.
func (f *fakeAPI) json(pattern, body string) {
	f.reply(pattern, http.StatusOK, "application/json", body)
}

// requests returns the requests seen so far.
func (f *fakeAPI) requests() []captured {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]captured(nil), f.reqs...)
}

// last returns the latest request.
func (f *fakeAPI) last() captured {
	f.t.Helper()
	reqs := f.requests()
	require.NotEmpty(f.t, reqs, "no request reached the server")
	return reqs[len(reqs)-1]
}

// fixture reads testdata/name.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}
