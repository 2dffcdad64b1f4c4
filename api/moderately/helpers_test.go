package moderately

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// seen is one request the fake server received.
type seen struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         string
}

// fake answers by "METHOD /path" and records every request.
type fake struct {
	t      testing.TB
	mu     sync.Mutex
	routes map[string]func(w http.ResponseWriter, r *http.Request)
	reqs   []seen
	srv    *httptest.Server
}

func newFake(t testing.TB) *fake {
	f := &fake{t: t, routes: map[string]func(http.ResponseWriter, *http.Request){}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, seen{r.Method, r.URL.Path, r.URL.Query(), r.Header.Clone(), string(body)})
		h := f.routes[r.Method+" "+r.URL.Path]
		f.mu.Unlock()
		if h == nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":{"code":"NOT_FOUND","message":"no route `+r.URL.Path+`","timestamp":"2024-01-01T00:00:00Z"}}`)
			return
		}
		h(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// json answers route with status and body.
func (f *fake) json(route string, status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[route] = func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func (f *fake) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

func (f *fake) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = nil
}

func (f *fake) client(t *testing.T) *Client {
	c, err := New(Options{BaseURL: f.srv.URL, APIKey: "mod-test-key-123", TeamID: "team_1"})
	require.NoError(t, err)
	return c
}

// spec reads an example of the published spec.
func spec(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", "spec", name))
	require.NoError(t, err)
	return string(b)
}

// items wraps objects in a listing.
func items(total int, objs ...string) string {
	return `{"items":[` + strings.Join(objs, ",") + `],"pagination":{"page":1,"pageSize":20,"totalItems":` +
		json.Number(itoa(total)).String() + `,"totalPages":1,"hasNextPage":false,"hasPreviousPage":false}}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
