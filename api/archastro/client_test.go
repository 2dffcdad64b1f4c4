package archastro

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

const (
	testSK  = "sk_test_0123456789abcdef"
	testPK  = "pk_test_0123456789abcdef"
	testJWT = "eyJhbGciOiJIUzI1NiJ9.e30.sig"
)

// seen is one request the fake server received.
type seen struct {
	method, path, rawQuery string
	query                  map[string][]string
	header                 http.Header
	body                   string
}

// fake answers canned JSON per "METHOD /path" and records every request.
type fake struct {
	mu    sync.Mutex
	reqs  []seen
	reply map[string]func(w http.ResponseWriter)
	srv   *httptest.Server
}

func newFake(t *testing.T) *fake {
	f := &fake{reply: map[string]func(http.ResponseWriter){}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.URL.Query(), r.Header.Clone(), string(b)})
		h := f.reply[r.Method+" "+r.URL.Path]
		f.mu.Unlock()
		if h == nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			fmt.Fprintf(w, `{"error":{"code":"not_found","message":"no fixture for %s"}}`, r.URL.Path)
			return
		}
		h(w)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) json(method, path string, status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reply[method+" "+path] = func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// last returns the last request to path.
func (f *fake) last(t *testing.T, method, path string) seen {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.reqs) - 1; i >= 0; i-- {
		if f.reqs[i].method == method && f.reqs[i].path == path {
			return f.reqs[i]
		}
	}
	t.Fatalf("no %s %s among %d requests", method, path, len(f.reqs))
	return seen{}
}

func (f *fake) count(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.reqs {
		if r.method == method && r.path == path {
			n++
		}
	}
	return n
}

func newClient(t *testing.T, f *fake, key, jwt string) *Client {
	t.Helper()
	c, err := New(Options{BaseURL: f.srv.URL, APIKey: key, JWT: jwt})
	require.NoError(t, err)
	return c
}

const (
	sessionJSON = `{"id":"ase_1","agent":"agi_1","status":"waiting","name":"demo","instructions":"Summarise the week\nthen stop",
		"trajectory":"trj_1","created_at":"2026-12-01T10:00:00Z","started_at":"2026-12-01T10:00:01Z","updated_at":"2026-12-01T10:00:09Z",
		"inbox":[{"id":"msg_1","role":"user","content":"Use the EU numbers","sent_at":"2026-12-01T10:00:03Z"}],"metadata":{"k":"v","n":2}}`
	agentsJSON = `{"data":[{"id":"agi_1","name":"Weekly Summariser"},{"id":"agi_2","name":"Bot Two"}],"page":1,"page_size":100,"total_entries":2,"total_pages":1,"has_next":false,"has_prev":false}`
)

// Every call replays what the official SDK sent (wire/archastro-requests.txt).
func TestRequestsMatchTheSDK(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.json("GET", "/api/v1/agents", 200, agentsJSON)
	f.json("GET", "/api/v1/agent_sessions", 200, `{"data":[`+sessionJSON+`]}`)
	f.json("GET", "/api/v1/agent_sessions/ase_1", 200, sessionJSON)
	f.json("GET", "/api/v1/agent_routine_runs", 200, `{"data":[{"id":"arr_1","agent":"agi_1","status":"running","routine":"arn_1","created_at":"2026-12-01T09:00:00Z"}],"before_cursor":"c9"}`)
	f.json("GET", "/api/v1/agent_routines/runs/arr_1", 200, `{"id":"arr_1","agent":"agi_1","status":"skipped","result":{"reason":"previous run still active"}}`)
	f.json("GET", "/api/v1/agent_routines/runs/arr_1/journal", 200, `{"data":[{"id":"jrn_1","sequence":1,"type":"node_started","record":{"message":"fetching"},"created_at":"2026-12-01T09:00:01Z"}],"has_more":false}`)
	f.json("GET", "/api/v1/trajectories/trj_1", 200, `{"id":"trj_1","messages":[{"role":"assistant","content":"Reading the sheet","created_at":"2026-12-01T10:00:02Z"},
		{"role":"tool","name":"sheets","content":"42 rows","created_at":"2026-12-01T10:00:04Z"},
		{"role":"assistant","content":[{"type":"text","text":"Which quarter?"}],"created_at":"2026-12-01T10:00:05Z"}]}`)
	f.json("GET", "/api/v1/activity_feed", 200, `{"entries":[{"id":"afe_1","kind":"generic","level":"info","title":"Session waiting","content":"Waiting for a reply","session_record":{"id":"ase_1"},"agent":"agi_1","created_at":"2026-12-01T10:00:06Z","metadata":{"status":"waiting"}},
		{"id":"afe_2","kind":"generic","title":"other","session_record":"ase_9","created_at":"2026-12-01T10:00:06Z"}]}`)
	f.json("GET", "/api/v1/users/me", 200, `{"id":"usr_1","email":"ops@example.com","org":"org_1","org_name":"Harborlight","app":"dap_1","app_name":"agentop"}`)
	f.json("GET", "/api/v1/agents/agi_1/health", 200, `{"status":"warning","score":0.7}`)
	f.json("POST", "/api/v1/agent_sessions/ase_1/message", 200, sessionJSON)
	f.json("POST", "/api/v1/agent_sessions/ase_1/cancel", 200, sessionJSON)
	f.json("POST", "/api/v1/agent_sessions", 201, `{"id":"ase_2","agent":"agi_1","status":"pending"}`)

	c := newClient(t, f, testSK, "")

	// agent_sessions.list({status:[…], agent:[…], limit:100})
	p, err := c.ListExecutions(ctx, api.ExecutionQuery{Kind: KindSession, AgentID: "agi_1",
		Statuses: []api.Status{api.StatusStarting, api.StatusRunning, api.StatusPausedByAgent}, PageSize: 100})
	require.NoError(t, err)
	r := f.last(t, "GET", "/api/v1/agent_sessions")
	assert.Equal(t, []string{"agi_1"}, r.query["agent[]"])
	assert.Equal(t, []string{"pending", "running", "waiting"}, r.query["status[]"])
	assert.Equal(t, []string{"100"}, r.query["limit"])
	assert.Contains(t, r.rawQuery, "status%5B%5D=pending", "arrays go out as name[]=v, escaped as the SDK does")
	assert.Equal(t, testSK, r.header.Get("x-archastro-api-key"))
	assert.Empty(t, r.header.Get("Authorization"), "a sk_ key is sent alone")
	assert.Equal(t, "application/json", r.header.Get("Content-Type"), "the SDK sends it on reads too")
	require.Len(t, p.Items, 1)
	x := p.Items[0]
	assert.Equal(t, api.StatusPausedByAgent, x.Status)
	assert.Equal(t, "waiting", x.StatusWord())
	assert.Equal(t, KindSession, x.Kind)
	assert.Equal(t, "demo", x.Title)
	assert.Equal(t, "Weekly Summariser", x.AgentName, "names come from the agents list")
	assert.Equal(t, map[string]string{"k": "v", "n": "2"}, x.Metadata)
	assert.True(t, p.TotalUnknown)
	assert.False(t, p.Capped, "1 of a limit of 100")

	// agent_sessions.get("ase_1") with sk_, then with pk_ + JWT
	_, err = c.GetExecution(ctx, "ase_1")
	require.NoError(t, err)
	pk := newClient(t, f, testPK, testJWT)
	_, err = pk.GetExecution(ctx, "ase_1")
	require.NoError(t, err)
	r = f.last(t, "GET", "/api/v1/agent_sessions/ase_1")
	assert.Equal(t, testPK, r.header.Get("x-archastro-api-key"))
	assert.Equal(t, "Bearer "+testJWT, r.header.Get("Authorization"))

	// users.me() with pk_ + JWT
	uc, err := pk.UserContext(ctx)
	require.NoError(t, err)
	r = f.last(t, "GET", "/api/v1/users/me")
	assert.Equal(t, "Bearer "+testJWT, r.header.Get("Authorization"))
	assert.Equal(t, "usr_1", uc.UserID)
	assert.Equal(t, "ops@example.com", uc.Email)
	require.Len(t, uc.Organizations, 2)
	assert.Equal(t, "Harborlight", uc.Organizations[0].Name)

	// agents.list({page:2, pageSize:100, search:"bot"})
	_, err = c.ListAgents(ctx, api.AgentQuery{Page: 2, PageSize: 100, Search: "bot"})
	require.NoError(t, err)
	r = f.last(t, "GET", "/api/v1/agents")
	assert.Equal(t, map[string][]string{"page": {"2"}, "page_size": {"100"}, "search": {"bot"}}, r.query)

	// agents.health("agi_1")
	h, err := c.AgentHealth(ctx, "agi_1")
	require.NoError(t, err)
	assert.Equal(t, "warning", h)

	// agent_routine_runs.list({agent:["agi_1"], status:"running", limit:100}): status is a scalar here
	p, err = c.ListExecutions(ctx, api.ExecutionQuery{Kind: KindRoutineRun, AgentID: "agi_1", Statuses: []api.Status{api.StatusRunning}, PageSize: 100})
	require.NoError(t, err)
	r = f.last(t, "GET", "/api/v1/agent_routine_runs")
	assert.Equal(t, map[string][]string{"agent[]": {"agi_1"}, "status": {"running"}, "limit": {"100"}}, r.query)
	require.Len(t, p.Items, 1)
	assert.Equal(t, KindRoutineRun, p.Items[0].Kind)

	// agent_routines.agent_routine_runs.get("arr_1"): skipped is terminal, shown as sent
	run, err := c.GetExecution(ctx, "arr_1")
	require.NoError(t, err)
	assert.True(t, run.Status.IsTerminal())
	assert.Equal(t, "skipped", run.StatusWord())
	assert.Equal(t, "previous run still active", run.StatusReason)

	// …journal("arr_1", {limit:100})
	acts, err := c.Activities(ctx, "arr_1", api.ActivityQuery{})
	require.NoError(t, err)
	r = f.last(t, "GET", "/api/v1/agent_routines/runs/arr_1/journal")
	assert.Equal(t, map[string][]string{"limit": {"100"}}, r.query)
	require.Len(t, acts, 1)
	assert.Equal(t, "fetching", acts[0].Message)

	// The session's feed: trajectories.get("trj_1"), the inbox, activity_feed.list({agent:["agi_1"]})
	acts, err = c.Activities(ctx, "ase_1", api.ActivityQuery{Order: api.SortDesc})
	require.NoError(t, err)
	assert.Equal(t, 1, f.count("GET", "/api/v1/trajectories/trj_1"))
	r = f.last(t, "GET", "/api/v1/activity_feed")
	assert.Equal(t, []string{"agi_1"}, r.query["agent[]"])
	var ids []string
	for _, a := range acts {
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"afe_1", "trj_1#2", "trj_1#1", "msg_1", "trj_1#0"}, ids, "newest first; the other session's entry is left out")
	assert.True(t, acts[1].AgentMessage, "the agent's message after the last inbox entry of a waiting session")
	assert.Equal(t, api.KindStatusChanged, acts[0].Kind)
	assert.Equal(t, api.KindActionCompleted, acts[2].Kind)
	assert.Equal(t, api.KindUserMessage, acts[3].Kind)

	// message("ase_1", {content, role:"user"}) — the reply path
	require.NoError(t, c.Reply(ctx, "ase_1", "Yes, go ahead"))
	r = f.last(t, "POST", "/api/v1/agent_sessions/ase_1/message")
	assert.JSONEq(t, `{"content":"Yes, go ahead","role":"user"}`, r.body)

	// cancel("ase_1"): no body
	require.NoError(t, c.Cancel(ctx, "ase_1"))
	r = f.last(t, "POST", "/api/v1/agent_sessions/ase_1/cancel")
	assert.Empty(t, r.body)

	// create({agent, instructions, name, metadata})
	id, err := c.Execute(ctx, "agi_1", api.ExecuteRequest{Instructions: "Summarise", Name: "demo", Metadata: map[string]string{"k": "v"}})
	require.NoError(t, err)
	assert.Equal(t, "ase_2", id)
	r = f.last(t, "POST", "/api/v1/agent_sessions")
	assert.JSONEq(t, `{"agent":"agi_1","instructions":"Summarise","metadata":{"k":"v"},"name":"demo"}`, r.body)
}

func TestQuestion(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.json("GET", "/api/v1/agents", 200, agentsJSON)
	f.json("GET", "/api/v1/agent_sessions/ase_1", 200, sessionJSON)
	f.json("GET", "/api/v1/trajectories/trj_1", 200, `{"id":"trj_1","messages":[{"role":"assistant","content":"Which quarter?","created_at":"2026-12-01T10:00:05Z"}]}`)
	f.json("GET", "/api/v1/activity_feed", 200, `{"data":[]}`)
	c := newClient(t, f, testSK, "")
	c.feeds.ttl = 0 // every read asks: the fixtures change between them
	seenAt := time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)

	q, err := c.Interaction(ctx, api.Execution{ID: "ase_1"}, seenAt)
	require.NoError(t, err)
	assert.Equal(t, "Which quarter?", q.Question, "1: the newest agent message after the last inbox entry")
	assert.False(t, q.Fallback)

	// The agent's message was before the operator's answer: not a question any more.
	f.json("GET", "/api/v1/trajectories/trj_1", 200, `{"id":"trj_1","messages":[{"role":"assistant","content":"Which quarter?","created_at":"2026-12-01T10:00:02Z"}]}`)
	f.json("GET", "/api/v1/activity_feed", 200, `{"data":[{"id":"afe_1","title":"Waiting","content":"Waiting for the finance approval","session_record":"ase_1","created_at":"2026-12-01T10:00:06Z"}]}`)
	q, err = c.Interaction(ctx, api.Execution{ID: "ase_1"}, seenAt)
	require.NoError(t, err)
	assert.Equal(t, "Waiting for the finance approval", q.Question, "2: the newest feed entry of the session")

	f.json("GET", "/api/v1/activity_feed", 200, `{"data":[]}`)
	q, err = c.Interaction(ctx, api.Execution{ID: "ase_1"}, seenAt)
	require.NoError(t, err)
	assert.True(t, q.Fallback, "3: no question text: say so")
	assert.Equal(t, GenericQuestion, q.Question)
	assert.Equal(t, seenAt, q.AskedAt)
}

func TestCapAndKinds(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.json("GET", "/api/v1/agents", 200, agentsJSON)
	var items []string
	for i := range 100 {
		items = append(items, fmt.Sprintf(`{"id":"ase_%d","agent":"agi_1","status":"running","created_at":"2026-12-01T10:%02d:00Z"}`, i, i%60))
	}
	f.json("GET", "/api/v1/agent_sessions", 200, `{"data":[`+strings.Join(items, ",")+`]}`)
	f.json("GET", "/api/v1/agent_routine_runs", 200, `{"data":[{"id":"arr_1","status":"pending"}]}`)
	c := newClient(t, f, testSK, "")

	p, err := c.ListExecutions(ctx, api.ExecutionQuery{Statuses: api.ActiveStatuses})
	require.NoError(t, err)
	assert.True(t, p.Capped, "100 sessions: the cap was hit")
	assert.True(t, p.TotalUnknown)
	assert.False(t, p.HasMore(), "the session list cannot page")
	assert.Equal(t, 102, len(p.Items), "100 sessions and a run from each of the two run requests")
	assert.Equal(t, 2, f.count("GET", "/api/v1/agent_routine_runs"), "one request per run status (pending, running)")

	p, err = c.ListExecutions(ctx, api.ExecutionQuery{Kind: KindSession, CreatedAfter: time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.False(t, p.Capped, "the listing went back past created-after: nothing newer is missing")
	assert.NotEmpty(t, p.Items)

	p, err = c.ListExecutions(ctx, api.ExecutionQuery{Page: 2})
	require.NoError(t, err)
	assert.Empty(t, p.Items, "no page 2 without a cursor")

	_, err = c.ListExecutions(ctx, api.ExecutionQuery{Kind: "pipeline"})
	assert.Equal(t, api.KindInvalid, api.KindOf(err))

	// Statuses the platform lacks ask nothing.
	before := f.count("GET", "/api/v1/agent_sessions")
	p, err = c.ListExecutions(ctx, api.ExecutionQuery{Kind: KindSession, Statuses: []api.Status{api.StatusPaused}})
	require.NoError(t, err)
	assert.Empty(t, p.Items)
	assert.Equal(t, before, f.count("GET", "/api/v1/agent_sessions"))

	caps := c.Capabilities()
	assert.False(t, caps.Pause || caps.Resume || caps.Profiles || caps.Pools || caps.Files)
	assert.True(t, caps.Instructions)
	assert.True(t, caps.For(KindSession).Reply)
	assert.False(t, caps.For(KindRoutineRun).Cancel)
	assert.Equal(t, "routine run", caps.KindLabel(KindRoutineRun))
	assert.Equal(t, api.KindUnsupported, api.KindOf(c.Cancel(ctx, "arr_1")))
	assert.Equal(t, api.KindUnsupported, api.KindOf(c.Pause(ctx, "ase_1")))
	_, err = c.Execute(ctx, "agi_1", api.ExecuteRequest{})
	assert.Equal(t, api.KindInvalid, api.KindOf(err), "instructions are required")
	assert.Equal(t, 100, c.PollHints().ListCap)
}

func TestErrorShapes(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.json("GET", "/api/v1/agents", 200, agentsJSON)
	c := newClient(t, f, testSK, "")

	// Nested {"error":{"code","message"}} (the fake's 404).
	_, err := c.GetExecution(ctx, "ase_missing")
	require.Error(t, err)
	var e *api.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, api.KindNotFound, e.Kind)
	assert.Equal(t, 404, e.StatusCode)
	assert.Contains(t, e.Message, "no fixture for /api/v1/agent_sessions/ase_missing")

	// Nested with type and fields.
	f.json("POST", "/api/v1/agent_sessions", 422, `{"error":{"type":"validation_error","message":"Invalid input","fields":[{"field":"instructions","message":"can't be blank"}]}}`)
	_, err = c.Execute(ctx, "agi_1", api.ExecuteRequest{Instructions: "x"})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, api.KindInvalid, e.Kind)
	assert.Contains(t, e.Message, "instructions: can't be blank")
	assert.Contains(t, e.Message, "validation_error")

	// Flat {"error":"code","message":"…"}, and the key never echoes back.
	f.json("GET", "/api/v1/users/me", 401, `{"error":"unauthorized","message":"bad key `+testSK+`"}`)
	_, err = c.UserContext(ctx)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, api.KindUnauthorized, e.Kind)
	assert.Contains(t, e.Message, "bad key")
	assert.NotContains(t, err.Error(), testSK)

	f.mu.Lock()
	f.reply["GET /api/v1/agent_sessions"] = func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(429)
		_, _ = io.WriteString(w, `{"error":"rate_limited","message":"slow down"}`)
	}
	f.mu.Unlock()
	_, err = c.ListExecutions(ctx, api.ExecutionQuery{Kind: KindSession})
	assert.Equal(t, api.KindRateLimited, api.KindOf(err))
	assert.Equal(t, 7*time.Second, api.RetryAfterOf(err))
}

func TestNewRefuses(t *testing.T) {
	_, err := New(Options{BaseURL: "http://example.com", APIKey: testSK})
	assert.Equal(t, api.KindInsecure, api.KindOf(err))
	_, err = New(Options{APIKey: testPK})
	assert.Equal(t, api.KindInvalid, api.KindOf(err), "a pk_ key needs its JWT")
	assert.NotContains(t, err.Error(), testPK)
	_, err = New(Options{BaseURL: "https://u:p@example.com", APIKey: testSK})
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
	c, err := New(Options{BaseURL: "https://example.com/proxy/api/v1/", APIKey: testSK, JWT: testJWT})
	require.NoError(t, err)
	assert.Equal(t, "https://example.com/proxy", c.http.base, "a prefix is kept, /api/v1 stripped")
	assert.Empty(t, c.http.jwt, "a JWT goes only with a pk_ key")
}

func TestWatch(t *testing.T) {
	f := newFake(t)
	f.json("GET", "/api/v1/agents", 200, agentsJSON)
	f.mu.Lock()
	f.reply["GET /api/v1/agent_sessions/ase_1/stream"] = func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, st := range []string{"running", "completed"} {
			b, _ := json.Marshal(map[string]string{"id": "ase_1", "status": st})
			fmt.Fprintf(w, "event: session_update\ndata: %s\n\n", b)
		}
	}
	f.mu.Unlock()
	c := newClient(t, f, testSK, "")
	var got []api.Status
	require.NoError(t, c.Watch(context.Background(), "ase_1", func(x api.Execution) bool { got = append(got, x.Status); return true }))
	assert.Equal(t, []api.Status{api.StatusRunning, api.StatusCompleted}, got)
	assert.Equal(t, "text/event-stream", f.last(t, "GET", "/api/v1/agent_sessions/ase_1/stream").header.Get("Accept"))
}

// The sessions of one agent share one read of its feed within a second.
func TestAgentFeedIsShared(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.json("GET", "/api/v1/agents", 200, agentsJSON)
	f.json("GET", "/api/v1/agent_sessions/ase_1", 200, `{"id":"ase_1","agent":"agi_1","status":"running"}`)
	f.json("GET", "/api/v1/agent_sessions/ase_2", 200, `{"id":"ase_2","agent":"agi_1","status":"running"}`)
	f.json("GET", "/api/v1/activity_feed", 200, `{"data":[{"id":"afe_1","title":"a","session_record":"ase_1"},{"id":"afe_2","title":"b","session_record":"ase_2"}]}`)
	c := newClient(t, f, testSK, "")
	a1, err := c.Activities(ctx, "ase_1", api.ActivityQuery{})
	require.NoError(t, err)
	a2, err := c.Activities(ctx, "ase_2", api.ActivityQuery{})
	require.NoError(t, err)
	assert.Equal(t, 1, f.count("GET", "/api/v1/activity_feed"), "one feed read for both sessions")
	require.Len(t, a1, 1)
	require.Len(t, a2, 1)
	assert.Equal(t, "afe_1", a1[0].ID)
	assert.Equal(t, "afe_2", a2[0].ID)
}
