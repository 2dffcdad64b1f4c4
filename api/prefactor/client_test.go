package prefactor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

const (
	instanceID = "01jabcdefghjkmnpqrstvwxyz0000001"
	agentsBody = `{"status":"success","summaries":[{"type":"agent","id":"agent_1","name":"Refund bot","status":"active","instance_counts":{"total":3,"active":1,"pending":0}}],"pagination":{"next_page_offset":null}}`
)

func instanceJSON(id, status, started string) string {
	return fmt.Sprintf(`{"type":"agent_instance","id":%q,"agent_id":"agent_1","account_id":"acct_1","status":%q,"purpose":"live","started_at":%q,"inserted_at":%q,"termination_reason":null}`, id, status, started, started)
}

// The client sends each read the vendor's own clients sent (the CLI's or
// the dashboard's form), with the one header they send.
func TestReplaysRecordedReads(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/v1/account", `{"status":"success","details":{"id":"acct_1","name":"Acme"}}`)
	f.json("GET /api/v1/agent", agentsBody)
	f.json("GET /api/v1/agent/{id}", `{"status":"success","details":{"id":"agent_1","name":"Refund bot"}}`)
	f.json("GET /api/v1/agent_instance", `{"status":"success","summaries":[`+instanceJSON(instanceID, "active", "2026-01-02T03:00:00Z")+`],"pagination":{"next_page_offset":null}}`)
	f.json("GET /api/v1/agent_instance/{id}", `{"status":"success","details":`+instanceJSON(instanceID, "active", "2026-01-02T03:00:00Z")+`}`)
	f.json("GET /api/v1/agent_spans", `{"status":"success","summaries":[],"pagination":null}`)
	f.json("GET /api/v1/environment", `{"status":"success","summaries":[{"id":"env_1","name":"prod"}]}`)
	f.json("GET /api/v1/agent_deployment", `{"status":"success","summaries":[{"id":"dep_1","agent_id":"agent_1","environment_id":"env_1"}]}`)
	c := f.client()
	ctx := context.Background()

	_, err := c.UserContext(ctx)
	require.NoError(t, err)
	_, err = c.ListAgents(ctx, api.AgentQuery{})
	require.NoError(t, err)
	_, err = c.ListExecutions(ctx, api.ExecutionQuery{Statuses: api.ActiveStatuses})
	require.NoError(t, err)
	_, err = c.GetExecution(ctx, instanceID)
	require.NoError(t, err)
	_, err = c.ListExecutions(ctx, api.ExecutionQuery{AgentID: "agent_1"})
	require.NoError(t, err)
	_, err = c.Activities(ctx, instanceID, api.ActivityQuery{Order: api.SortDesc, Limit: 50})
	require.NoError(t, err)
	_, err = c.Environments(ctx, "acct_1")
	require.NoError(t, err)
	_, err = c.Deployments(ctx, "agent_1")
	require.NoError(t, err)

	sent := f.requests()
	for _, s := range sent {
		assert.Equal(t, "Bearer "+testToken, s.Header.Get("Authorization"), s.Path)
		assert.Equal(t, "application/json", s.Header.Get("Accept"), s.Path)
	}
	// Reads agentop has no use for: the token check, alerts, risk
	// profiles and the debug dump.
	unused := map[string]bool{"/api/v1/ping": true, "/api/v1/alerts/count": true, "/api/v1/risk_profile": true}
	covered := 0
	for _, rec := range readRecorded(t) {
		if rec.Method != "GET" || rec.Section == "C" || unused[rec.Path] || strings.HasSuffix(rec.Path, "/agent_context") {
			continue
		}
		if rec.Section == "B" && rec.Path == "/api/v1/agent_spans" {
			// The dashboard's per-agent span read: the sweep sends it
			// (approvals), checked below.
			continue
		}
		found := false
		for _, s := range sent {
			if s.Method == rec.Method && samePath(rec.Path, s.Path) && hasAll(s.Query, rec.Query) {
				found = true
				break
			}
		}
		if assert.True(t, found, "no request like the recorded %s %s ?%s (sent: %v)", rec.Method, rec.Path, rec.Query.Encode(), sent) {
			covered++
		}
	}
	assert.GreaterOrEqual(t, covered, 8)
	// The sweep's approval check is the dashboard's agent_spans read.
	var dash bool
	for _, s := range sent {
		if s.Path == "/api/v1/agent_spans" && s.Query.Get("agent_id") == "agent_1" && s.Query.Get("include_risk_level") == "true" && s.Query.Get("sorting[direction]") == "desc" {
			dash = true
		}
	}
	assert.True(t, dash, "the sweep reads each busy agent's spans the dashboard's way")
}

// samePath compares paths with ids in the last segment treated alike.
func samePath(recorded, sent string) bool {
	if recorded == sent {
		return true
	}
	ri, si := strings.LastIndexByte(recorded, '/'), strings.LastIndexByte(sent, '/')
	return recorded[:ri] == sent[:si] && strings.HasPrefix(recorded[:ri], "/api/v1/agent") && len(recorded[ri+1:]) > 0 && len(sent[si+1:]) > 0 &&
		(strings.HasPrefix(recorded[ri+1:], "01") || strings.HasPrefix(recorded[ri+1:], "agent_")) && !strings.Contains(sent[si+1:], "_")
}

// hasAll reports whether got carries every key of want, with the same value
// for paging and ids (times are the caller's own).
func hasAll(got, want map[string][]string) bool {
	for k, v := range want {
		g, ok := got[k]
		if !ok {
			return false
		}
		if k != "start_time" && k != "end_time" && (len(g) == 0 || g[0] != v[0]) {
			return false
		}
	}
	return true
}

func TestStatusesMap(t *testing.T) {
	for word, want := range map[string]api.Status{
		"pending": api.StatusStarting, "active": api.StatusRunning, "complete": api.StatusCompleted,
		"failed": api.StatusFailed, "cancelled": api.StatusCancelled, "terminated": api.StatusCancelled,
		"hibernating": api.Status("hibernating"),
	} {
		got, _ := statusOf(word)
		assert.Equal(t, want, got, word)
	}
	f := newFake(t)
	f.json("GET /api/v1/agent", agentsBody)
	f.json("GET /api/v1/agent_instance/{id}", `{"status":"success","details":{"id":"i1","agent_id":"agent_1","status":"terminated","termination_reason":"runaway spend","started_at":"2026-01-02T03:00:00Z","finished_at":"2026-01-02T03:00:30Z"}}`)
	e, err := f.client().GetExecution(context.Background(), "i1")
	require.NoError(t, err)
	assert.Equal(t, api.StatusCancelled, e.Status)
	assert.True(t, e.Status.IsTerminal())
	assert.Equal(t, "terminated", e.StatusWord())
	assert.Equal(t, "runaway spend", e.StatusReason)
	assert.Equal(t, 30*time.Second, e.Duration)
	assert.Equal(t, "Refund bot", e.AgentName)
}

// Instances are listed per agent: the listing fans out with at most six
// requests in flight, newest first, and says when it is partial.
func TestListExecutionsFansOut(t *testing.T) {
	const agents = 20
	f := newFake(t)
	var sums []string
	for i := range agents {
		sums = append(sums, fmt.Sprintf(`{"id":"agent_%02d","name":"Agent %d","instance_counts":{"active":1}}`, i, i))
	}
	f.json("GET /api/v1/agent", `{"summaries":[`+strings.Join(sums, ",")+`],"pagination":{"next_page_offset":null}}`)
	var inFlight, peak atomic.Int32
	f.mux.HandleFunc("GET /api/v1/agent_instance", func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		a := r.URL.Query().Get("agent_id")
		if a == "agent_07" {
			http.Error(w, `{"status":"error","code":"timeout","message":"upstream timed out"}`, http.StatusGatewayTimeout)
			return
		}
		var n2 int
		fmt.Sscanf(a, "agent_%d", &n2)
		// Newest first: one active, one complete.
		_, _ = fmt.Fprintf(w, `{"summaries":[%s,%s],"pagination":{"next_page_offset":null}}`,
			instanceJSON(fmt.Sprintf("01k%02d2", n2), "active", fmt.Sprintf("2026-01-02T03:%02d:10Z", n2)),
			instanceJSON(fmt.Sprintf("01k%02d1", n2), "complete", fmt.Sprintf("2026-01-02T03:%02d:00Z", n2)))
	})
	f.json("GET /api/v1/agent_spans", `{"summaries":[]}`)
	c := f.client()
	page, err := c.ListExecutions(context.Background(), api.ExecutionQuery{Statuses: api.ActiveStatuses})
	require.NoError(t, err)
	assert.LessOrEqual(t, peak.Load(), int32(maxInFlight))
	assert.Greater(t, peak.Load(), int32(1), "agents are read in parallel")
	assert.Len(t, page.Items, agents-1)
	assert.True(t, page.Capped, "one agent failed: the picture is partial")
	assert.True(t, page.TotalUnknown)
	assert.Equal(t, "01k192", page.Items[0].ID, "newest first")
	for _, e := range page.Items {
		assert.Equal(t, api.StatusRunning, e.Status)
	}

	// Terminal listing: no status filter on the wire, filtered here.
	page, err = c.ListExecutions(context.Background(), api.ExecutionQuery{Statuses: api.TerminalStatuses, PageSize: 5})
	require.NoError(t, err)
	assert.Len(t, page.Items, 5)
	assert.True(t, page.Capped)
	for _, e := range page.Items {
		assert.Equal(t, api.StatusCompleted, e.Status)
	}
}

// A scan for open instances stops at what the last complete scan covered,
// and says it is partial when its page budget runs out.
func TestListExecutionsStopsAtKnownIDs(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/v1/agent", `{"summaries":[{"id":"agent_1","name":"A"}]}`) // no counts
	var pages atomic.Int32
	total := 250
	f.mux.HandleFunc("GET /api/v1/agent_instance", func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		var off int
		fmt.Sscanf(r.URL.Query().Get("pagination[offset]"), "%d", &off)
		var items []string
		for i := off; i < min(off+100, total); i++ {
			id := fmt.Sprintf("01k%04d", total-i) // newest first
			st := "complete"
			if i == 3 {
				st = "active"
			}
			items = append(items, instanceJSON(id, st, time.Date(2026, 1, 2, 0, 0, total-i, 0, time.UTC).Format(time.RFC3339)))
		}
		next := "null"
		if off+100 < total {
			next = fmt.Sprint(off + 100)
		}
		_, _ = fmt.Fprintf(w, `{"summaries":[%s],"pagination":{"next_page_offset":%s}}`, strings.Join(items, ","), next)
	})
	f.json("GET /api/v1/agent_spans", `{"summaries":[]}`)
	c := f.client()
	q := api.ExecutionQuery{Statuses: api.ActiveStatuses}
	page, err := c.ListExecutions(context.Background(), q)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.False(t, page.Capped)
	assert.Equal(t, int32(3), pages.Load(), "the first scan reads every page")

	pages.Store(0)
	page, err = c.ListExecutions(context.Background(), q)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, int32(1), pages.Load(), "the next scan stops at the known open instance")

	c2 := f.client(func(o *Options) { o.MaxPagesPerAgent = 2 })
	page, err = c2.ListExecutions(context.Background(), q)
	require.NoError(t, err)
	assert.True(t, page.Capped, "out of page budget: partial")
}

func TestSpansAreATreeFeed(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/v1/agent", agentsBody)
	f.json("GET /api/v1/agent_instance/{id}", `{"details":`+instanceJSON(instanceID, "active", "2026-01-02T03:00:00Z")+`}`)
	f.json("GET /api/v1/agent_spans", `{"summaries":[
	 {"id":"s3","agent_instance_id":"`+instanceID+`","parent_span_id":"s1","schema_name":"hitl:human-approval","status":"active","payload":{"inputs":{"question":"Refund $500 to a.b@example.com?","channel":"#refunds (Slack)"}},"started_at":"2026-01-02T03:00:03Z"},
	 {"id":"s2","agent_instance_id":"`+instanceID+`","parent_span_id":"s1","schema_name":"ai-sdk:llm","schema_title":"LLM call","status":"failed","payload":{"inputs":{"prompt":{"$sensitive":true,"labels":["pii"],"value":"card 4111 1111 1111 1111"}},"error":{"message":"rate limited"}},"started_at":"2026-01-02T03:00:01Z","finished_at":"2026-01-02T03:00:02.5Z"},
	 {"id":"s1","agent_instance_id":"`+instanceID+`","parent_span_id":null,"schema_name":"agent","status":"active","summary":"triage refund","started_at":"2026-01-02T03:00:00Z","updated_at":"2026-01-02T03:00:03Z"}
	],"pagination":{"next_page_offset":null}}`)
	c := f.client()
	ctx := context.Background()
	acts, err := c.Activities(ctx, instanceID, api.ActivityQuery{Order: api.SortAsc})
	require.NoError(t, err)
	require.Len(t, acts, 3)
	root, llm, ask := acts[0], acts[1], acts[2]
	assert.Equal(t, "s1", root.ID)
	assert.Equal(t, "", root.ParentID)
	assert.Equal(t, "active", root.State)
	assert.Equal(t, api.KindActionStarted, root.Kind)
	assert.Equal(t, "agent: triage refund", root.Text)
	assert.Equal(t, "s1", llm.ParentID)
	assert.Equal(t, api.KindActionFailed, llm.Kind)
	assert.Equal(t, 1500*time.Millisecond, llm.Duration)
	assert.Equal(t, "rate limited", llm.Message)
	assert.NotContains(t, string(llm.Raw), "4111")
	assert.NotContains(t, string(llm.Raw), "$sensitive")
	assert.Contains(t, string(llm.Raw), "[sensitive: pii]")
	assert.NotEqual(t, root.Revision(), root.ID, "a span that changes has revisions")

	e, err := c.GetExecution(ctx, instanceID)
	require.NoError(t, err)
	assert.Equal(t, api.StatusPausedByAgent, e.Status, "an open approval makes the instance wait")
	assert.Equal(t, "active", e.StatusWord())
	req, err := c.Interaction(ctx, e, time.Now())
	require.NoError(t, err)
	assert.True(t, req.ReadOnly)
	assert.Equal(t, "#refunds (Slack)", req.AnswerWhere)
	assert.Equal(t, "Refund $500 to a.b@example.com?", req.Question)
	assert.Equal(t, ask.ID, req.ActivityID)
	assert.False(t, req.Fallback)
}

func TestTerminateNeedsAReason(t *testing.T) {
	f := newFake(t)
	f.json("POST /api/v1/agent_instance/{id}/terminate", `{"status":"success","details":{}}`)
	c := f.client()
	ctx := context.Background()
	err := api.CancelExecution(ctx, c, instanceID, "  ")
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
	assert.Empty(t, f.requests(), "nothing sent without a reason")
	require.NoError(t, api.CancelExecution(ctx, c, instanceID, "runaway spend"))
	last := f.requests()[0]
	assert.Equal(t, "/api/v1/agent_instance/"+instanceID+"/terminate", last.Path)
	var body map[string]string
	require.NoError(t, json.Unmarshal([]byte(last.Body), &body))
	assert.Equal(t, map[string]string{"reason": "runaway spend"}, body)
	caps := c.Capabilities()
	assert.Equal(t, api.Required, caps.CancelReason)
	assert.False(t, caps.Execute || caps.Pause || caps.Resume || caps.Reply || caps.Profiles)
	assert.Equal(t, api.KindUnsupported, api.KindOf(c.Reply(ctx, instanceID, "yes")))
	_, err = c.Execute(ctx, "agent_1", api.ExecuteRequest{})
	assert.Equal(t, api.KindUnsupported, api.KindOf(err))
	assert.Equal(t, maxInFlight, c.PollHints().MaxInFlight)
}

func TestErrors(t *testing.T) {
	f := newFake(t)
	f.mux.HandleFunc("GET /api/v1/account", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = fmt.Fprintf(w, `{"status":"error","code":"unauthorized","message":"token %s is an ingestion key"}`, testToken)
	})
	f.mux.HandleFunc("POST /api/v1/agent_instance/{id}/terminate", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = fmt.Fprint(w, `{"status":"error","code":"invalid","message":"only active instances","errors":{"status":["must be active"]}}`)
	})
	c := f.client()
	_, err := c.UserContext(context.Background())
	assert.Equal(t, api.KindUnauthorized, api.KindOf(err))
	assert.NotContains(t, err.Error(), testToken)
	err = c.CancelWithReason(context.Background(), "x1", "stop")
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
	assert.Contains(t, err.Error(), "only active instances")

	_, err = New(Options{BaseURL: "http://example.com", Token: "t"})
	assert.Equal(t, api.KindInsecure, api.KindOf(err))
	c2, err := New(Options{BaseURL: "https://app.example.com/api/v1/"})
	require.NoError(t, err)
	assert.Equal(t, "https://app.example.com", c2.rc.Base().String())
	_, err = c.GetExecution(context.Background(), "../agent")
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
}

func TestRedact(t *testing.T) {
	in := `{"a":{"$sensitive":true,"labels":["email","pii"],"value":"x@y.z"},"b":[{"$sensitive":1,"value":"secret"}],"c":"plain"}`
	out := string(Redact(json.RawMessage(in)))
	assert.NotContains(t, out, "x@y.z")
	assert.NotContains(t, out, "secret")
	assert.Contains(t, out, `"[sensitive: email, pii]"`)
	assert.Contains(t, out, `"[sensitive]"`)
	assert.Contains(t, out, `"plain"`)
	assert.Equal(t, "null", string(Redact(json.RawMessage(`{"$sensitive": broken`))))
}

// A deployment listing longer than a page is read to its end, the first
// request as the vendor's CLI sends it and the next at the given offset.
func TestDeploymentsFollowPages(t *testing.T) {
	f := newFake(t)
	f.mux.HandleFunc("GET /api/v1/agent_deployment", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("pagination[offset]") == "" {
			_, _ = io.WriteString(w, `{"summaries":[{"id":"dep_2","agent_id":"agent_1","environment_id":"env_1","status":"active"},"junk"],"pagination":{"next_page_offset":2}}`)
			return
		}
		_, _ = io.WriteString(w, `{"summaries":[{"id":"dep_1","agent_id":"agent_1","environment_id":"env_2","status":"retired"}],"pagination":{"next_page_offset":null}}`)
	})
	deps, err := f.client().Deployments(context.Background(), " agent_1 ")
	require.NoError(t, err)
	require.Len(t, deps, 2, "an unreadable summary is left out, the next page read")
	assert.Equal(t, "dep_2", deps[0].ID)
	assert.Equal(t, "retired", deps[1].Status)
	sent := f.requests()
	require.Len(t, sent, 2)
	assert.Equal(t, url.Values{"agent_id": {"agent_1"}}, sent[0].Query)
	assert.Equal(t, "2", sent[1].Query.Get("pagination[offset]"))
}
