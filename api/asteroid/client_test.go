package asteroid

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestNewNormalisesBaseURL(t *testing.T) {
	for _, in := range []string{
		"https://odyssey.asteroid.ai",
		"https://odyssey.asteroid.ai/",
		"https://odyssey.asteroid.ai/agents/v2",
		"https://odyssey.asteroid.ai/agents/v2/",
		"https://odyssey.asteroid.ai/api/v1",
		" https://odyssey.asteroid.ai/api/v1/ ",
		"",
	} {
		c, err := New(Options{BaseURL: in})
		require.NoError(t, err, in)
		assert.Equal(t, DefaultBaseURL, c.base.String(), in)
	}

	c, err := New(Options{BaseURL: "https://proxy.example.com/asteroid/agents/v2"})
	require.NoError(t, err)
	assert.Equal(t, "https://proxy.example.com/asteroid", c.base.String(), "a path prefix before the API prefix is kept")

	for _, bad := range []string{"odyssey.asteroid.ai", "ftp://odyssey.asteroid.ai", "https://", "https://user:pw@odyssey.asteroid.ai"} {
		_, err := New(Options{BaseURL: bad})
		assert.Equal(t, api.KindInvalid, api.KindOf(err), bad)
	}
}

func TestNewRefusesPlainHTTPToRemoteHosts(t *testing.T) {
	_, err := New(Options{BaseURL: "http://odyssey.asteroid.ai", APIKey: testKey})
	require.Error(t, err)
	assert.True(t, errors.Is(err, api.ErrInsecure))
	assert.Contains(t, err.Error(), "odyssey.asteroid.ai")

	for _, local := range []string{"http://localhost:8080", "http://127.0.0.1:9", "http://127.8.9.10", "http://[::1]:8080", "http://LOCALHOST"} {
		_, err := New(Options{BaseURL: local, APIKey: testKey})
		assert.NoError(t, err, local)
	}
	_, err = New(Options{BaseURL: "http://10.0.0.5:8080", APIKey: testKey, AllowInsecure: true})
	assert.NoError(t, err, "AllowInsecure permits plain http anywhere")
}

func TestRequestHeaders(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}", `{"id":"e1"}`)

	_, err := f.client().GetExecution(context.Background(), "e1")
	require.NoError(t, err)
	h := f.last().Header
	assert.Equal(t, testKey, h.Get("X-Asteroid-Agents-Api-Key"))
	assert.Equal(t, "agentop/dev", h.Get("User-Agent"))
	assert.Equal(t, "application/json", h.Get("Accept"))

	_, err = f.client(func(o *Options) { o.UserAgent = "agentop/1.2.3"; o.APIKey = " " + testKey + "\n" }).GetExecution(context.Background(), "e1")
	require.NoError(t, err)
	h = f.last().Header
	assert.Equal(t, "agentop/1.2.3", h.Get("User-Agent"))
	assert.Equal(t, testKey, h.Get("X-Asteroid-Agents-Api-Key"), "a pasted key is trimmed")
}

func TestNewRefusesAKeyWithControlCharacters(t *testing.T) {
	_, err := New(Options{APIKey: "sk-abc\x00def"})
	require.Error(t, err)
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
	assert.NotContains(t, err.Error(), "sk-abc")
}

func TestIDsAreEscapedAndEmptyIDsRefused(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}", `{"id":"a b?c#d%"}`)
	c := f.client()

	_, err := c.GetExecution(context.Background(), "a b?c#d%")
	require.NoError(t, err)
	assert.Equal(t, "/agents/v2/executions/a%20b%3Fc%23d%25", f.last().Path)

	n := len(f.requests())
	_, err = c.GetExecution(context.Background(), " ")
	require.Error(t, err)
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
	assert.Contains(t, err.Error(), "GET /executions/{id}")
	assert.Contains(t, err.Error(), "missing id")
	assert.Len(t, f.requests(), n, "nothing is sent for an empty id")
}

// TestIDsThatAddressAnotherEndpointAreRefused: "pause .." must not become
// POST /agents/v2/status.
func TestIDsThatAddressAnotherEndpointAreRefused(t *testing.T) {
	f := newFake(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	c := f.client()
	for _, id := range []string{".", "..", " .. ", "a/b", "../../agents", "x/.."} {
		err := c.Pause(context.Background(), id)
		require.ErrorIs(t, err, api.ErrInvalid, id)
		assert.Contains(t, err.Error(), `invalid id: it cannot be "." or ".." or contain "/"`)
		_, err = c.GetExecution(context.Background(), id)
		require.ErrorIs(t, err, api.ErrInvalid, id)
	}
	assert.Empty(t, f.requests(), "nothing is sent")
}

func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("X-Asteroid-Agents-Api-Key") != "")
		_, _ = w.Write([]byte(`{"id":"e1"}`))
	}))
	defer other.Close()
	f := newFake(t)
	f.mux.HandleFunc("GET /agents/v2/executions/{id}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})

	_, err := f.client().GetExecution(context.Background(), "e1")
	require.Error(t, err)
	assert.Equal(t, api.KindInsecure, api.KindOf(err))
	assert.Contains(t, err.Error(), "redirect")
	assert.False(t, leaked.Load(), "the key never reaches the other host")
}

// TestMutatingRequestsAreNotRedirected: net/http would follow a 302 on a
// POST as a GET to the new page and report success; the change would not
// have happened.
func TestMutatingRequestsAreNotRedirected(t *testing.T) {
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		f := newFake(t)
		f.mux.HandleFunc("/agents/v2/executions/{id}/status", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/login", code)
		})
		f.mux.HandleFunc("/api/v1/agent-profiles/{id}", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/login", code)
		})
		f.reply("/login", http.StatusOK, "application/json", `{}`)
		c := f.client()

		err := c.Cancel(context.Background(), "e1")
		require.ErrorIs(t, err, api.ErrInvalid, code)
		assert.Contains(t, err.Error(), fmt.Sprintf("POST /executions/{id}/status: invalid request (HTTP %d): the server redirected this POST request", code))
		require.ErrorIs(t, c.DeleteProfile(context.Background(), "p1"), api.ErrInvalid)
		_, err = c.UpdateProfile(context.Background(), "p1", api.ProfileUpdate{})
		require.ErrorIs(t, err, api.ErrInvalid)
		for _, r := range f.requests() {
			assert.NotEqual(t, "/login", r.Path, "the redirect is not followed")
		}
	}
}

// TestHTMLIsNotSuccess: a 200 login page in front of the API is not the
// answer of a call that expects no body.
func TestHTMLIsNotSuccess(t *testing.T) {
	f := newFake(t)
	f.reply("POST /agents/v2/executions/{id}/status", http.StatusOK, "text/html; charset=utf-8", "<html><form>Sign in</form></html>")
	f.reply("POST /agents/v2/executions/{id}/user-messages", http.StatusOK, "application/json", `"User message added."`)
	f.reply("GET /api/v1/credentials/public_key", http.StatusOK, "text/html", "<html>Sign in</html>")
	c := f.client()

	err := c.Pause(context.Background(), "e1")
	require.ErrorIs(t, err, api.ErrDecode)
	assert.Contains(t, err.Error(), "HTML page")
	require.NoError(t, c.Reply(context.Background(), "e1", "hi"), "JSON is fine")
	_, err = c.CreateProfile(context.Background(), api.ProfileInput{Name: "p", Credentials: []api.Secret{{Name: "pw", Value: "x"}}})
	require.ErrorIs(t, err, api.ErrDecode)
	assert.Contains(t, err.Error(), "HTML page")
}

func TestRedirectOnTheSameHostIsFollowed(t *testing.T) {
	f := newFake(t)
	f.mux.HandleFunc("GET /agents/v2/executions/{id}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/agents/v2/moved/"+r.PathValue("id"), http.StatusFound)
	})
	f.json("GET /agents/v2/moved/{id}", `{"id":"e1","status":"running"}`)

	e, err := f.client().GetExecution(context.Background(), "e1")
	require.NoError(t, err)
	assert.Equal(t, api.StatusRunning, e.Status)
	assert.Equal(t, testKey, f.last().Header.Get("X-Asteroid-Agents-Api-Key"))
}

func TestCustomHTTPClientIsNotModified(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}", `{"id":"e1"}`)
	custom := &http.Client{}
	c := f.client(func(o *Options) { o.HTTPClient = custom })
	_, err := c.GetExecution(context.Background(), "e1")
	require.NoError(t, err)
	assert.Nil(t, custom.CheckRedirect)
}

func TestDebugLogNeverHoldsTheKey(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}", `{"id":"e1"}`)
	f.reply("POST /agents/v2/executions/{id}/user-messages", http.StatusUnauthorized, "text/plain", "bad key "+testKey)
	c := f.client(func(o *Options) { o.Logger = logger })

	_, err := c.GetExecution(context.Background(), "e1")
	require.NoError(t, err)
	require.Error(t, c.Reply(context.Background(), "e1", "my password is hunter2"))

	out := buf.String()
	assert.Contains(t, out, "method=GET")
	assert.Contains(t, out, "path=/agents/v2/executions/e1")
	assert.Contains(t, out, "status=200")
	assert.Contains(t, out, "status=401")
	assert.NotContains(t, out, testKey)
	assert.NotContains(t, out, "hunter2", "bodies are never logged")
}

func TestPlatformAndCapabilities(t *testing.T) {
	c, err := New(Options{})
	require.NoError(t, err)
	assert.Equal(t, "asteroid", c.Platform())
	caps := c.Capabilities()
	assert.Equal(t, api.Capabilities{
		Execute: true, Pause: true, Resume: true, Cancel: true, Reply: true, Files: true, UploadFiles: true,
		Recording: true, Profiles: true, ManageProfiles: true, Pools: true, ManagePools: true, Download: true, UserContext: true,
	}, caps)
	assert.Equal(t, strings.Count(caps.String(), ",")+1, 14)
}
