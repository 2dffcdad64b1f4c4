package rest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func client(t *testing.T, url string) *Client {
	c, err := New(Config{Platform: "x", BaseURL: url, DefaultBaseURL: "https://api.example.com", Key: "secret-key-1",
		Authorize: func(h http.Header, k string) { h.Set("Authorization", "Bearer "+k) }})
	require.NoError(t, err)
	return c
}

func TestTheOriginKeepsItsPrefixAndRefusesPlainHTTPElsewhere(t *testing.T) {
	u, err := ParseOrigin("https://h.example/v1/?q=1#f", "")
	require.NoError(t, err)
	assert.Equal(t, "https://h.example/v1", u.String())
	_, err = New(Config{BaseURL: "http://h.example", Key: "k"})
	assert.Equal(t, api.KindInsecure, api.KindOf(err))
	_, err = New(Config{BaseURL: "https://u:p@h.example"})
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
	_, err = New(Config{BaseURL: "https://h.example", Key: "a\nb"})
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
}

func TestRedirectsOfChangesAndToOtherHostsAreRefused(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the key reached another host: %s", r.Header.Get("Authorization"))
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
		case "/post":
			http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
		}
	}))
	defer srv.Close()
	c := client(t, srv.URL)
	err := c.Do(context.Background(), Call{Method: http.MethodGet, Path: "/away"}, nil)
	assert.Equal(t, api.KindInsecure, api.KindOf(err))
	err = c.Do(context.Background(), Call{Method: http.MethodPost, Path: "/post", Body: map[string]any{}}, nil)
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
	assert.Contains(t, err.Error(), "the change may not have been made")
}

func TestAnswersBecomeErrorsWithoutTheKey(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>login</html>"))
		case "/limited":
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"message":"slow down secret-key-1"}`))
		}
	}))
	defer srv.Close()
	c := client(t, srv.URL)
	var out map[string]any
	err := c.Do(context.Background(), Call{Method: http.MethodGet, Path: "/html"}, &out)
	assert.Equal(t, api.KindDecode, api.KindOf(err))
	err = c.Do(context.Background(), Call{Method: http.MethodGet, Path: "/limited"}, &out)
	assert.Equal(t, api.KindRateLimited, api.KindOf(err))
	assert.Equal(t, 7*time.Second, api.RetryAfterOf(err))
	assert.NotContains(t, err.Error(), "secret-key-1")
	err = c.Do(context.Background(), Call{Method: http.MethodGet, Path: "/x/{id}", Args: []string{".."}}, nil)
	assert.Equal(t, api.KindInvalid, api.KindOf(err), "a path step is refused before sending")
}
