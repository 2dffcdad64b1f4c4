package asteroidsim

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
)

// Webhooks (reference §4). With Config.Webhook set, the simulator POSTs
// execution events to that URL as the platform does to a configured
// webhook: {"type": "execution", "event_id", "timestamp", "info": {"event",
// "execution_id", "execution_url", "agent_id", "agent_name", "payload",
// "metadata"}}, signed in X-Asteroid-Signature (base64 RSA PKCS#1 v1.5 over
// the body's SHA-256, verifiable with the key of GET
// /api/v1/credentials/public_key). Only loopback receivers are allowed: the
// simulator is for testing your own receiver.

// Webhook delivery bounds.
const (
	WebhookQueue   = 256             // events waiting; past it new ones are dropped
	WebhookTimeout = 5 * time.Second // one delivery, connection to answer
)

// SignatureHeader carries a webhook's signature.
const SignatureHeader = "X-Asteroid-Signature"

// WebhookEvent is the body of one webhook delivery.
type WebhookEvent struct {
	Type      string      `json:"type"` // "execution"
	EventID   string      `json:"event_id"`
	Timestamp time.Time   `json:"timestamp"`
	Info      WebhookInfo `json:"info"`
}

// WebhookInfo is what a webhook event is about.
type WebhookInfo struct {
	Event        string            `json:"event"` // EXECUTION_STARTED, EXECUTION_ACTION_COMPLETED, …
	ExecutionID  string            `json:"execution_id"`
	ExecutionURL string            `json:"execution_url"`
	AgentID      string            `json:"agent_id"`
	AgentName    string            `json:"agent_name"`
	Payload      map[string]any    `json:"payload"`
	Metadata     map[string]string `json:"metadata,omitempty"`
}

// ParseWebhook checks a webhook URL: http(s) to a loopback host, with no
// credentials in it. It fails with an *api.Error of kind KindInvalid, or
// KindInsecure for a host that is not loopback.
func ParseWebhook(raw string) (*url.URL, error) {
	const op = "webhook"
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &api.Error{Kind: api.KindInvalid, Op: op, Message: fmt.Sprintf("the webhook URL %q is not an http(s) URL", raw)}
	}
	if u.User != nil {
		return nil, &api.Error{Kind: api.KindInvalid, Op: op, Message: "the webhook URL must not contain credentials"}
	}
	if !loopbackHost(u.Hostname()) {
		return nil, &api.Error{Kind: api.KindInsecure, Op: op, Message: "refusing the webhook receiver " + u.Host +
			", which is not a loopback address: the simulator only posts to receivers on this machine"}
	}
	return u, nil
}

func loopbackHost(host string) bool { return api.IsLoopbackHost(host) }

// webhook delivers an engine's events to one receiver, one at a time.
type webhook struct {
	url     string
	e       *sim.Engine
	log     *slog.Logger
	client  *http.Client
	q       chan WebhookEvent
	steps   map[string]int // execution → its current step (under the engine's lock)
	dropped atomic.Int64
	sent    atomic.Int64
	done    chan struct{}
}

// startWebhook observes e and delivers its events to u until ctx is done;
// the returned function waits for the sender to stop.
func startWebhook(ctx context.Context, e *sim.Engine, u *url.URL, queue int, log *slog.Logger) (*webhook, func()) {
	dialer := &net.Dialer{Timeout: WebhookTimeout}
	t := &http.Transport{
		// Resolve, then refuse anything that is not loopback after all.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if tcp, ok := c.RemoteAddr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
				_ = c.Close()
				return nil, fmt.Errorf("webhook: %s is not a loopback address", addr)
			}
			return c, nil
		},
		ResponseHeaderTimeout: WebhookTimeout,
		MaxIdleConns:          1,
	}
	w := &webhook{
		url: u.String(), e: e, log: log,
		client: &http.Client{Transport: t, Timeout: WebhookTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		q: make(chan WebhookEvent, queue), steps: map[string]int{}, done: make(chan struct{}),
	}
	e.Observe(w.observe)
	go w.run(ctx)
	return w, func() {
		e.Observe(nil)
		<-w.done
		t.CloseIdleConnections()
	}
}

// observe turns an activity into an event and queues it, never blocking
// the engine: a full queue drops the event.
func (w *webhook) observe(x sim.Execution, a sim.Activity) {
	ev, ok := w.event(x, a)
	if !ok {
		return
	}
	select {
	case w.q <- ev:
	default:
		if n := w.dropped.Add(1); n == 1 || n%1000 == 0 {
			w.log.Warn("webhook: the receiver is slower than the fleet; events dropped", "dropped", n)
		}
	}
}

// run delivers queued events until ctx is done.
func (w *webhook) run(ctx context.Context) {
	defer close(w.done)
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-w.q:
			w.deliver(ctx, ev)
		}
	}
}

func (w *webhook) deliver(ctx context.Context, ev WebhookEvent) {
	body, err := json.Marshal(ev)
	if err != nil {
		w.log.Warn("webhook: encoding an event failed", "event", ev.Info.Event, "err", err)
		return
	}
	sig, err := w.e.Sign(body)
	if err != nil {
		w.log.Warn("webhook: signing failed", "err", err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "agentop-sim-webhooks")
	req.Header.Set(SignatureHeader, base64.StdEncoding.EncodeToString(sig))
	resp, err := w.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Warn("webhook: delivery failed", "event", ev.Info.Event, "err", err)
		}
		return
	}
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		w.log.Warn("webhook: the receiver refused an event", "event", ev.Info.Event, "status", resp.StatusCode)
		return
	}
	w.sent.Add(1)
	w.log.Debug("webhook delivered", "event", ev.Info.Event, "execution", ev.Info.ExecutionID)
}

// statusEvents names the event of each status an execution moves to.
var statusEvents = map[api.Status]string{
	api.StatusCompleted:            "EXECUTION_COMPLETED",
	api.StatusFailed:               "EXECUTION_FAILED",
	api.StatusCancelled:            "EXECUTION_CANCELLED",
	api.StatusPaused:               "EXECUTION_PAUSED",
	api.StatusPausedByAgent:        "EXECUTION_PAUSED",
	api.StatusAwaitingConfirmation: "EXECUTION_AWAITING_CONFIRMATION",
}

var actionEvents = map[api.ActivityKind]string{
	api.KindActionStarted:   "EXECUTION_ACTION_STARTED",
	api.KindActionCompleted: "EXECUTION_ACTION_COMPLETED",
	api.KindActionFailed:    "EXECUTION_ACTION_FAILED",
}

// event maps an activity to its webhook event; most activities have none.
func (w *webhook) event(x sim.Execution, a sim.Activity) (WebhookEvent, bool) {
	var name string
	payload := map[string]any{}
	switch {
	case a.Kind == api.KindStepStarted:
		w.steps[x.ID] = a.Step
		return WebhookEvent{}, false
	case a.Kind == api.KindStatusChanged && a.Change != nil:
		c := a.Change
		name = statusEvents[c.Status]
		if c.Status == api.StatusRunning {
			name = "EXECUTION_RESUMED"
			if c.From == api.StatusStarting || c.From == "" {
				name = "EXECUTION_STARTED"
			}
		}
		payload["status"] = string(c.Status)
		if c.Reason != "" {
			payload["reason"] = c.Reason
		}
		if c.OSError != "" {
			payload["os_error"] = c.OSError
		}
		if r := c.Result; r != nil {
			payload["execution_result"] = map[string]any{"outcome": r.Outcome, "reasoning": r.Reasoning, "result": r.Data}
		}
		if c.Status.IsTerminal() {
			delete(w.steps, x.ID)
		}
	case a.Action != nil && actionEvents[a.Kind] != "":
		name = actionEvents[a.Kind]
		act := a.Action
		payload["action_id"], payload["action_name"], payload["step_number"] = act.ID, act.Name, w.steps[x.ID]
		switch a.Kind {
		case api.KindActionStarted:
			payload["arguments"] = detail(act.Detail, a.Message)
		case api.KindActionCompleted:
			payload["duration"] = act.Duration.Milliseconds()
			payload["output"] = detail(act.Detail, a.Message)
		case api.KindActionFailed:
			payload["duration"] = act.Duration.Milliseconds()
			payload["failure"] = a.Message
		}
	}
	if name == "" {
		return WebhookEvent{}, false
	}
	return WebhookEvent{
		Type: "execution", EventID: a.ID, Timestamp: a.Time,
		Info: WebhookInfo{
			Event: name, ExecutionID: x.ID, ExecutionURL: "https://platform.sim.agentop.example/executions/" + x.ID,
			AgentID: x.AgentID, AgentName: x.AgentName, Payload: payload, Metadata: x.Metadata,
		},
	}, true
}

// detail is an action's detail with its message.
func detail(d map[string]any, msg string) map[string]any {
	out := make(map[string]any, len(d)+1)
	for k, v := range d {
		out[k] = v
	}
	if msg != "" {
		out["message"] = msg
	}
	return out
}

// webhookStats is how many events were delivered and dropped.
func (w *webhook) stats() (sent, dropped int64) { return w.sent.Load(), w.dropped.Load() }
