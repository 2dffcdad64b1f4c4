package asteroid

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestHTTPErrorsAreTyped(t *testing.T) {
	longHTML := "<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>\n<body><h1>502   Bad Gateway</h1>\n" +
		strings.Repeat("<p>upstream went away</p>\n", 40) + "</body></html>"
	cases := []struct {
		name     string
		status   int
		ctype    string
		body     string
		header   http.Header
		kind     api.ErrorKind
		sentinel error
		msg      string
		retry    time.Duration
	}{
		{"v2 body", 400, "application/json", `{"code":400,"message":"Invalid execution id."}`, nil, api.KindInvalid, api.ErrInvalid, "Invalid execution id.", 0},
		{"conflict", 409, "application/json", `{"code":409,"message":"Execution is already completed."}`, nil, api.KindInvalid, api.ErrInvalid, "Execution is already completed.", 0},
		{"unprocessable v1 body", 422, "application/json", `{"error":"status must be one of running, paused, cancelled"}`, nil, api.KindInvalid, api.ErrInvalid, "status must be one of running, paused, cancelled", 0},
		{"json string", 401, "application/json", `"Unauthorized."`, nil, api.KindUnauthorized, api.ErrUnauthorized, "Unauthorized.", 0},
		{"plain text", 403, "text/plain", "User is not a member of the organization.\n", nil, api.KindForbidden, api.ErrForbidden, "User is not a member of the organization.", 0},
		{"nested error object", 404, "application/json", `{"error":{"message":"Execution not found.","type":"not_found"}}`, nil, api.KindNotFound, api.ErrNotFound, "Execution not found.", 0},
		{"rate limited, seconds", 429, "application/json", `{"code":429,"message":"Slow down."}`, http.Header{"Retry-After": {"7"}}, api.KindRateLimited, api.ErrRateLimited, "Slow down.", 7 * time.Second},
		{"rate limited, no header", 429, "", "", nil, api.KindRateLimited, api.ErrRateLimited, "too many requests", 0},
		{"unavailable with retry", 503, "text/plain", "maintenance", http.Header{"Retry-After": {"120"}}, api.KindServer, api.ErrServer, "maintenance", 2 * time.Minute},
		{"server error", 500, "application/json", `{"code":500,"message":"Internal server error."}`, nil, api.KindServer, api.ErrServer, "Internal server error.", 0},
		{"html, long", 502, "text/html", longHTML, nil, api.KindServer, api.ErrServer, "502 Bad Gateway 502 Bad Gateway upstream went away", 0},
		{"empty body", 504, "", "", nil, api.KindServer, api.ErrServer, "gateway timeout", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.mux.HandleFunc("GET /agents/v2/executions/{id}", func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				if tc.ctype != "" {
					w.Header().Set("Content-Type", tc.ctype)
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			_, err := f.client().GetExecution(context.Background(), "exec-7b0c")
			var e *api.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.kind, e.Kind)
			assert.ErrorIs(t, err, tc.sentinel)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, "GET /executions/{id}", e.Op)
			assert.True(t, strings.HasPrefix(e.Message, tc.msg), "message %q", e.Message)
			assert.LessOrEqual(t, utf8.RuneCountInString(e.Message), 300)
			assert.NotContains(t, e.Message, "\n")
			assert.NotContains(t, e.Message, "<")
			assert.NotContains(t, err.Error(), "exec-7b0c", "errors name the path template, not ids")
			assert.Equal(t, tc.retry, e.RetryAfter)
			assert.Equal(t, tc.retry, api.RetryAfterOf(err))
		})
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	f := newFake(t)
	f.mux.HandleFunc("GET /agents/v2/executions", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", time.Now().Add(90*time.Second).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusTooManyRequests)
	})
	_, err := f.client().ListExecutions(context.Background(), api.ExecutionQuery{})
	require.ErrorIs(t, err, api.ErrRateLimited)
	assert.InDelta(t, 90, api.RetryAfterOf(err).Seconds(), 2)
	assert.Contains(t, err.Error(), "retry after")
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"120":                               2 * time.Minute,
		" 5 ":                               5 * time.Second,
		"0":                                 0,
		"-3":                                0,
		"":                                  0,
		"soon":                              0,
		"Wed, 10 Dec 2025 12:01:30 GMT":     90 * time.Second,
		"Wednesday, 10-Dec-25 12:00:30 GMT": 30 * time.Second, // RFC 850
		"Wed, 10 Dec 2025 11:59:00 GMT":     0,                // already past
		"999999999":                         24 * time.Hour,   // capped
		"Sat, 10 Dec 2035 12:00:00 GMT":     24 * time.Hour,   // capped too
	} {
		assert.Equal(t, want, retryAfter(in, now), in)
	}
}

// noKey is a client without a key, for errorMessage.
var noKey Client

func TestErrorMessageShapes(t *testing.T) {
	for body, want := range map[string]string{
		`{"code":404,"message":"Execution not found."}`:   "Execution not found.",
		`{"error":"Agent profile not found"}`:             "Agent profile not found",
		`{"detail":"Not authenticated"}`:                  "Not authenticated",
		`{"message":"","error":"fallback"}`:               "fallback",
		`"Execution files not found."`:                    "Execution files not found.",
		"Invalid request parameters.":                     "Invalid request parameters.",
		"line one\n\n   line\ttwo  ":                      "line one line two",
		`{"unexpected":true}`:                             `{"unexpected":true}`,
		"<h1>Bad</h1><script>var x = '<b>';</script>Gate": "Bad Gate",
		"": "",
	} {
		assert.Equal(t, want, noKey.errorMessage(body, ""), body)
	}
	long := noKey.errorMessage(strings.Repeat("é", 1000), "text/plain")
	assert.Equal(t, 300, utf8.RuneCountInString(long))
	assert.True(t, strings.HasSuffix(long, "…"))
}

func TestNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c, err := New(Options{BaseURL: base, APIKey: testKey})
	require.NoError(t, err)

	_, err = c.GetExecution(context.Background(), "e1")
	require.ErrorIs(t, err, api.ErrNetwork)
	assert.Zero(t, err.(*api.Error).StatusCode)
	assert.True(t, api.IsTemporary(err))
	assert.Contains(t, err.Error(), "GET /executions/{id}: network error")
}

// blockingFake answers nothing until the request is abandoned.
func blockingFake(t *testing.T) *fakeAPI {
	f := newFake(t)
	f.mux.HandleFunc("/", func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	return f
}

func TestTimeouts(t *testing.T) {
	f := blockingFake(t)

	c := f.client(func(o *Options) { o.Timeout = 50 * time.Millisecond })
	start := time.Now()
	_, err := c.GetExecution(context.Background(), "e1")
	require.ErrorIs(t, err, api.ErrTimeout)
	assert.Less(t, time.Since(start), 3*time.Second)
	assert.True(t, strings.HasPrefix(err.Error(), "GET /executions/{id}: timeout"), err.Error())
	assert.True(t, api.IsTemporary(err))

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = f.client().GetExecution(ctx, "e1")
	require.ErrorIs(t, err, api.ErrTimeout, "the caller's deadline is a timeout too")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestCanceledContext(t *testing.T) {
	f := blockingFake(t)
	c := f.client()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.GetExecution(ctx, "e1")
	require.ErrorIs(t, err, api.ErrCanceled)
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, api.IsTemporary(err))

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	err = c.Cancel(ctx, "e1")
	require.ErrorIs(t, err, api.ErrCanceled, "canceled while waiting for the answer")
}

func TestUndecodableSuccessBody(t *testing.T) {
	f := newFake(t)
	f.reply("GET /agents/v2/executions/{id}", http.StatusOK, "text/html", "<html>login page</html>")
	f.reply("GET /agents/v2/agents", http.StatusOK, "application/json", "")
	f.reply("GET /agents/v2/executions", http.StatusOK, "application/json", `{"items":"nope"}`)
	c := f.client()

	_, err := c.GetExecution(context.Background(), "e1")
	require.ErrorIs(t, err, api.ErrDecode)
	assert.Equal(t, http.StatusOK, err.(*api.Error).StatusCode)

	_, err = c.ListAgents(context.Background(), api.AgentQuery{})
	require.ErrorIs(t, err, api.ErrDecode)
	assert.Contains(t, err.Error(), "empty")

	_, err = c.ListExecutions(context.Background(), api.ExecutionQuery{})
	require.ErrorIs(t, err, api.ErrDecode)
}

func TestOversizedBodyIsRefused(t *testing.T) {
	f := newFake(t)
	f.mux.HandleFunc("GET /agents/v2/executions/{id}", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"id":"e1","agentName":"`)
		chunk := strings.Repeat("x", 1<<20)
		for range 17 {
			_, _ = io.WriteString(w, chunk)
		}
		_, _ = io.WriteString(w, `"}`)
	})
	_, err := f.client().GetExecution(context.Background(), "e1")
	require.ErrorIs(t, err, api.ErrDecode)
	assert.Contains(t, err.Error(), "larger than 16 MiB")
}

// TestAPIKeyNeverInErrors drives every way a call can fail, with a server
// that echoes the key back in its error bodies, and checks no error text
// holds the key.
func TestAPIKeyNeverInErrors(t *testing.T) {
	var errs []error
	collect := func(err error) {
		t.Helper()
		require.Error(t, err)
		errs = append(errs, err)
	}
	ctx := context.Background()

	shapes := []struct{ ctype, body string }{
		{"text/plain", strings.Repeat("x", 290) + testKey},
		{"application/json", fmt.Sprintf(`{"code":401,"message":"invalid key %s"}`, testKey)},
		{"application/json", fmt.Sprintf(`{"error":"key %s revoked"}`, testKey)},
		{"application/json", fmt.Sprintf(`"bad key: %s"`, testKey)},
		{"application/json", fmt.Sprintf(`{"message":"invalid key %s"}`, jsonEscaped(testKey))},
		{"application/json", fmt.Sprintf(`{"error":{"message":"%s"}}`, jsonEscaped(testKey))},
		{"application/json", fmt.Sprintf(`"%s"`, jsonEscaped(testKey))},
		{"text/plain", "nope " + testKey},
		{"text/html", "<p>" + testKey + "</p>"},
	}
	for _, status := range []int{400, 401, 403, 404, 409, 422, 429, 500, 502, 503} {
		for _, s := range shapes {
			f := newFake(t)
			f.reply("/", status, s.ctype, s.body)
			c := f.client()
			_, err := c.GetExecution(ctx, "e1")
			collect(err)
			collect(c.Reply(ctx, "e1", "hi"))
		}
	}

	f := newFake(t)
	f.reply("GET /agents/v2/executions/{id}", http.StatusOK, "application/json", "{broken")
	f.reply("GET /api/v1/credentials/public_key", http.StatusOK, "text/plain", "not a key "+testKey)
	c := f.client()
	_, err := c.GetExecution(ctx, "e1")
	collect(err)
	_, err = c.CreateProfile(ctx, api.ProfileInput{Name: "p", Credentials: []api.Secret{{Name: "pw", Value: "s3cret"}}})
	collect(err)
	_, err = c.GetExecution(ctx, "")
	collect(err)
	_, err = c.Execute(ctx, "a1", api.ExecuteRequest{ProfileID: "p", PoolID: "q"})
	collect(err)

	b := blockingFake(t)
	_, err = b.client(func(o *Options) { o.Timeout = 20 * time.Millisecond }).GetExecution(ctx, "e1")
	collect(err)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = b.client().GetExecution(canceled, "e1")
	collect(err)

	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	closed, err := New(Options{BaseURL: srv.URL, APIKey: testKey})
	require.NoError(t, err)
	_, err = closed.GetExecution(ctx, "e1")
	collect(err)

	_, err = New(Options{BaseURL: "http://example.com", APIKey: testKey})
	collect(err)
	_, err = New(Options{APIKey: testKey + "\n\x01"})
	collect(err)
	_, err = EncryptCredential("garbage", testKey)
	collect(err)

	require.Greater(t, len(errs), 100)
	for _, err := range errs {
		for e := err; e != nil; e = errors.Unwrap(e) {
			assert.NotContains(t, e.Error(), testKey[:10], "not even a cut-off part of the key")
		}
		assert.NotContains(t, fmt.Sprintf("%v", err), testKey)
	}
}

// jsonEscaped spells every character of s as a \uXXXX escape, as a server
// may when it echoes a key back in JSON.
func jsonEscaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// TestAPIKeyRedactedAfterDecoding: a key the server spelt with JSON escapes
// is redacted from the decoded message, in plain and escaped forms alike.
func TestAPIKeyRedactedAfterDecoding(t *testing.T) {
	for _, key := range []string{jsonEscaped(testKey), `\u0073` + testKey[1:], testKey} {
		f := newFake(t)
		f.reply("/", http.StatusUnauthorized, "application/json", `{"message":"invalid key `+key+` for this org"}`)
		_, err := f.client().GetExecution(context.Background(), "e1")
		require.ErrorIs(t, err, api.ErrUnauthorized)
		assert.NotContains(t, err.Error(), testKey[:10])
		assert.Contains(t, err.Error(), "invalid key [redacted] for this org")
	}
}

func TestKindForOtherStatuses(t *testing.T) {
	for code, want := range map[int]api.ErrorKind{
		405: api.KindUnknown, 408: api.KindTimeout, 410: api.KindNotFound, 418: api.KindUnknown, 501: api.KindServer, 599: api.KindServer,
	} {
		assert.Equal(t, want, kindForStatus(code), code)
	}
}
