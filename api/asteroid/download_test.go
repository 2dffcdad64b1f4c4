package asteroid

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

const fileBody = "invoice,amount\nINV-1,42.00\n"

// storage is a fake storage host: it serves fileBody under /f and records
// the API key header of each request.
func storage(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *[]string) {
	t.Helper()
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys = append(keys, r.Header.Get("X-Asteroid-Agents-Api-Key"))
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &keys
}

func serveBody(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(fileBody)) }

func TestDownloadWritesTheBytesAndSendsNoKeyToStorage(t *testing.T) {
	store, keys := storage(t, serveBody)
	c := newFake(t).client()
	var buf bytes.Buffer
	n, err := c.Download(context.Background(), api.File{Name: "inv.csv", Size: int64(len(fileBody)), URL: store.URL + "/f?X-Amz-Signature=abc"}, &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(len(fileBody)), n)
	assert.Equal(t, fileBody, buf.String())
	assert.Equal(t, []string{""}, *keys, "a pre-signed URL on another origin gets no key")
}

func TestDownloadSendsTheKeyOnlyToTheBaseOrigin(t *testing.T) {
	f := newFake(t)
	store, keys := storage(t, serveBody)
	f.mux.HandleFunc("GET /files/own", serveBody)
	f.mux.HandleFunc("GET /files/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, store.URL+"/f", http.StatusFound)
	})
	c := f.client()
	size := int64(len(fileBody))
	_, err := c.Download(context.Background(), api.File{Size: size, URL: f.srv.URL + "/files/own"}, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, testKey, f.last().Header.Get("X-Asteroid-Agents-Api-Key"), "the base origin's own file endpoint gets the key")

	var buf bytes.Buffer
	_, err = c.Download(context.Background(), api.File{Size: size, URL: f.srv.URL + "/files/away"}, &buf)
	require.NoError(t, err)
	assert.Equal(t, fileBody, buf.String())
	assert.Equal(t, []string{""}, *keys, "the key is dropped on a redirect away from the base origin")
}

func TestDownloadChecksTheSize(t *testing.T) {
	store, _ := storage(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/chunked": // no Content-Length: the size is only known at the end
			w.(http.Flusher).Flush()
			_, _ = w.Write([]byte(fileBody))
		default:
			serveBody(w, r)
		}
	})
	c := newFake(t).client()
	ctx := context.Background()
	size := int64(len(fileBody))

	var buf bytes.Buffer
	_, err := c.Download(ctx, api.File{Size: size + 10, URL: store.URL + "/f"}, &buf)
	require.Error(t, err)
	assert.Equal(t, api.KindDecode, api.KindOf(err))
	assert.Contains(t, err.Error(), "announced")
	assert.Zero(t, buf.Len(), "nothing is written when the announced size is wrong")

	_, err = c.Download(ctx, api.File{Size: size + 10, URL: store.URL + "/chunked"}, &buf)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "stopped after "+strconv.Itoa(int(size))+" of "+strconv.Itoa(int(size)+10)+" bytes")

	buf.Reset()
	n, err := c.Download(ctx, api.File{Size: size - 5, URL: store.URL + "/chunked"}, &buf)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than")
	assert.Equal(t, size-5, n)
	assert.LessOrEqual(t, buf.Len(), int(size-5)+1, "never much more than the size is written")

	buf.Reset()
	n, err = c.Download(ctx, api.File{URL: store.URL + "/chunked"}, &buf) // size unknown
	require.NoError(t, err)
	assert.Equal(t, size, n)
}

func TestDownloadRefusals(t *testing.T) {
	store, keys := storage(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`))
	})
	c := newFake(t).client()
	ctx := context.Background()
	_, err := c.Download(ctx, api.File{Size: 3, URL: store.URL + "/f?X-Amz-Signature=topsecret"}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Equal(t, api.KindForbidden, api.KindOf(err))
	assert.Contains(t, err.Error(), "Request has expired")
	assert.NotContains(t, err.Error(), "topsecret", "the signature is as good as a password")

	_, err = c.Download(ctx, api.File{Size: 3, URL: "http://files.example.com/f"}, &bytes.Buffer{})
	assert.Equal(t, api.KindInsecure, api.KindOf(err), "plain http off loopback: %v", err)
	_, err = c.Download(ctx, api.File{Size: 3}, &bytes.Buffer{})
	assert.Equal(t, api.KindNotFound, api.KindOf(err))
	_, err = c.Download(ctx, api.File{Size: 3, URL: "ftp://x/y"}, &bytes.Buffer{})
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
	assert.Len(t, *keys, 1, "refused URLs are never fetched")
}

func TestDownloadFailsWhenDataStalls(t *testing.T) {
	release := make(chan struct{})
	store, _ := storage(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	c := newFake(t).client(func(o *Options) { o.Timeout = 300 * time.Millisecond })
	var buf bytes.Buffer
	_, err := c.Download(context.Background(), api.File{Size: 100, URL: store.URL + "/f"}, &buf)
	require.Error(t, err)
	assert.Equal(t, api.KindTimeout, api.KindOf(err), "%v", err)
	assert.LessOrEqual(t, buf.Len(), len("partial"))
	assert.True(t, strings.Contains(err.Error(), "no data for"), err.Error())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Download(ctx, api.File{Size: 100, URL: store.URL + "/f"}, &buf)
	assert.Equal(t, api.KindCanceled, api.KindOf(err), "%v", err)
}
