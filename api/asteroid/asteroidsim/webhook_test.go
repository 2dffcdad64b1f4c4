package asteroidsim

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
)

// receiver is a webhook receiver that keeps what it got.
type receiver struct {
	mu     sync.Mutex
	events []WebhookEvent
	bodies [][]byte
	sigs   []string
	srv    *httptest.Server
}

func newReceiver(t *testing.T, block <-chan struct{}) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if block != nil {
			select {
			case <-block:
			case <-r.Context().Done():
				return
			}
		}
		body, _ := io.ReadAll(r.Body)
		var ev WebhookEvent
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(body, &ev) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		rc.mu.Lock()
		rc.events, rc.bodies, rc.sigs = append(rc.events, ev), append(rc.bodies, body), append(rc.sigs, r.Header.Get(SignatureHeader))
		rc.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) got() []WebhookEvent {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]WebhookEvent(nil), rc.events...)
}

func (rc *receiver) has(event string) bool {
	for _, ev := range rc.got() {
		if ev.Info.Event == event {
			return true
		}
	}
	return false
}

func TestWebhookPostsSignedExecutionEvents(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	rc := newReceiver(t, nil)
	u, err := ParseWebhook(rc.srv.URL + "/hooks/asteroid")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	_, wait := startWebhook(ctx, f.e, u, WebhookQueue, slog.New(slog.DiscardHandler))
	defer func() { cancel(); wait() }()
	assert.Empty(t, rc.got(), "the seeded history is not replayed")

	agents, _ := f.e.Agents(api.AgentQuery{})
	x, err := f.e.Execute(agents.Items[0].ID, sim.ExecuteRequest{Metadata: map[string]string{"ticket": "OPS-7"}})
	require.NoError(t, err)
	f.clk.Advance(30 * time.Minute)
	_, _ = f.e.Execution(x.ID) // the whole execution plays
	require.Eventually(t, func() bool {
		return rc.has("EXECUTION_STARTED") && rc.has("EXECUTION_ACTION_COMPLETED") &&
			(rc.has("EXECUTION_COMPLETED") || rc.has("EXECUTION_FAILED") || rc.has("EXECUTION_PAUSED"))
	}, 30*time.Second, 10*time.Millisecond)

	block, _ := pem.Decode([]byte(f.e.PublicKeyPEM()))
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for i, ev := range rc.events {
		assert.Equal(t, "execution", ev.Type)
		assert.NotEmpty(t, ev.EventID)
		assert.False(t, ev.Timestamp.IsZero())
		assert.Equal(t, x.ID, ev.Info.ExecutionID)
		assert.Equal(t, agents.Items[0].ID, ev.Info.AgentID)
		assert.Equal(t, agents.Items[0].Name, ev.Info.AgentName)
		assert.Contains(t, ev.Info.ExecutionURL, x.ID)
		assert.Equal(t, "OPS-7", ev.Info.Metadata["ticket"])
		sig, err := base64.StdEncoding.DecodeString(rc.sigs[i])
		require.NoError(t, err)
		sum := sha256.Sum256(rc.bodies[i])
		assert.NoError(t, rsa.VerifyPKCS1v15(pub.(*rsa.PublicKey), crypto.SHA256, sum[:], sig), "signed over the raw body")
	}
	assert.Equal(t, "EXECUTION_STARTED", rc.events[0].Info.Event)
	assert.Equal(t, "running", rc.events[0].Info.Payload["status"])
	var raw map[string]any
	require.NoError(t, json.Unmarshal(rc.bodies[1], &raw))
	info := raw["info"].(map[string]any)
	assert.Subset(t, keys(info), []string{"event", "execution_id", "execution_url", "agent_id", "agent_name", "payload"}, "snake_case, as documented")
	for _, ev := range rc.events {
		if ev.Info.Event == "EXECUTION_ACTION_COMPLETED" {
			assert.Subset(t, keys(ev.Info.Payload), []string{"action_id", "action_name", "step_number", "duration", "output"})
		}
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestWebhookQueueIsBoundedAndStopsWithItsContext(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	hold := make(chan struct{})
	rc := newReceiver(t, hold) // answers nothing until released
	u, _ := ParseWebhook(rc.srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	w, wait := startWebhook(ctx, f.e, u, 2, slog.New(slog.DiscardHandler))

	agents, _ := f.e.Agents(api.AgentQuery{})
	for _, a := range agents.Items[:3] {
		_, err := f.e.Execute(a.ID, sim.ExecuteRequest{})
		require.NoError(t, err)
	}
	f.clk.Advance(30 * time.Minute)
	_, _ = f.e.Agents(api.AgentQuery{}) // plays it all: the engine never waits for the receiver
	_, dropped := w.stats()
	assert.Positive(t, dropped, "past the queue, events are dropped")

	cancel()
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(WebhookTimeout + time.Second):
		t.Fatal("the sender did not stop with its context")
	}
	close(hold)
	f.clk.Advance(time.Hour)
	_, _ = f.e.Agents(api.AgentQuery{}) // no observer any more: nothing queues, nothing panics
}

func TestParseWebhookRefusesOtherHosts(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:9000/hook", "http://localhost:8080/", "https://[::1]:443/x"} {
		_, err := ParseWebhook(ok)
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"http://example.com/hook", "http://10.0.0.2/hook", "http://0.0.0.0:80/", "ftp://127.0.0.1/", "http://u:p@127.0.0.1/", "not a url"} {
		_, err := ParseWebhook(bad)
		assert.Error(t, err, bad)
	}
	_, err := Start(context.Background(), Config{Webhook: "http://192.0.2.1/hook", Sim: sim.Config{PrivateKey: testKey()}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a loopback address")
}

func TestStartPostsWebhooksUntilClosed(t *testing.T) {
	rc := newReceiver(t, nil)
	srv, err := Start(context.Background(), Config{Webhook: rc.srv.URL,
		Sim: sim.Config{PrivateKey: testKey(), Scenario: sim.Scenario{Kind: sim.ScenarioIdle}, Speed: 200}})
	require.NoError(t, err)
	agents, _ := srv.Engine.Agents(api.AgentQuery{})
	_, err = srv.Engine.Execute(agents.Items[0].ID, sim.ExecuteRequest{})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return rc.has("EXECUTION_STARTED") }, 30*time.Second, 20*time.Millisecond)
	require.NoError(t, srv.Close())
}
