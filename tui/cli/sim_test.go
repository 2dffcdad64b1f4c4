package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSimWebhookPostsExecutionEvents(t *testing.T) {
	var mu sync.Mutex
	var events []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev struct {
			Type string `json:"type"`
			Info struct {
				Event       string `json:"event"`
				ExecutionID string `json:"execution_id"`
			} `json:"info"`
		}
		body, _ := io.ReadAll(r.Body)
		if json.Unmarshal(body, &ev) == nil && ev.Type == "execution" && r.Header.Get("X-Asteroid-Signature") != "" {
			mu.Lock()
			events = append(events, ev.Info.Event+" "+ev.Info.ExecutionID)
			mu.Unlock()
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer hook.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan result, 1)
	go func() {
		done <- inv{ctx: ctx}.runTo(t, &out, &errb, "sim", "--addr", "127.0.0.1:0", "--scenario", "idle", "--speed", "50",
			"--webhook", hook.URL+"/hooks")
	}()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "export ") }, 10*time.Second, 10*time.Millisecond)
	text := out.String()
	base := strings.Fields(text[strings.Index(text, "Base URL:"):])[2]
	key := strings.Fields(text[strings.Index(text, "API key:"):])[2]

	var ex ExecuteOutput
	decode(t, inv{env: map[string]string{"HOME": t.TempDir(), envBaseURL: base, envAPIKey: key}}.
		run(t, "execute", "Permit Status Tracker", "-o", "json"), &ex)
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range events {
			if e == "EXECUTION_STARTED "+ex.ExecutionID {
				return true
			}
		}
		return false
	}, 30*time.Second, 20*time.Millisecond)

	cancel()
	select {
	case r := <-done:
		assert.Equal(t, 0, r.code, r)
	case <-time.After(10 * time.Second):
		t.Fatal("sim did not stop")
	}
}

func TestSimWebhookRefusesRemoteReceivers(t *testing.T) {
	for _, bad := range []string{"http://example.com/hooks", "http://10.1.2.3:9000/", "hooks"} {
		r := inv{}.run(t, "sim", "--addr", "127.0.0.1:0", "--webhook", bad)
		assert.Equal(t, exitUsage, r.code, "%s: %s", bad, r)
		assert.Contains(t, r.err, "webhook", r.err)
	}
}
