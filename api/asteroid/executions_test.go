package asteroid

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

const docID = "3c90c3cc-0d44-4b50-8888-8dd25736052a" // the id in every docs example

func TestGetExecutionReplaysTheDocsExample(t *testing.T) {
	body := fixture(t, "execution.json")
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}", body)

	e, err := f.client().GetExecution(context.Background(), docID)
	require.NoError(t, err)
	assert.Equal(t, "/agents/v2/executions/"+docID, f.last().Path)

	ts := time.Date(2023, 11, 7, 5, 31, 56, 0, time.UTC)
	assert.Equal(t, docID, e.ID)
	assert.Equal(t, docID, e.AgentID)
	assert.Equal(t, "<string>", e.AgentName)
	assert.Equal(t, docID, e.OrganizationID)
	assert.Equal(t, docID, e.WorkflowID)
	assert.Equal(t, docID, e.ProfileID)
	assert.Equal(t, "<string>", e.ProfileName)
	assert.Equal(t, docID, e.ParentExecutionID)
	assert.Equal(t, api.Status(""), e.Status, "the 2026 example has no status")
	assert.True(t, e.CreatedAt.Equal(ts))
	assert.True(t, e.TerminalAt.Equal(ts))
	assert.Equal(t, 123*time.Second, e.Duration)
	assert.Equal(t, "<string>", e.LiveViewURL)
	assert.Equal(t, "<string>", e.RecordingURL)
	require.NotNil(t, e.Result)
	assert.Equal(t, "<string>", e.Result.Outcome)
	assert.Equal(t, "<string>", e.Result.Reasoning)
	assert.JSONEq(t, `"<unknown>"`, string(e.Result.Data))
	assert.True(t, e.Result.CreatedAt.Equal(ts))
	assert.Equal(t, []api.Label{{ID: docID, Name: "<string>", Color: "<string>"}}, e.Labels)
	require.Len(t, e.Comments, 1)
	cm := e.Comments[0]
	assert.Equal(t, api.Comment{ID: docID, UserID: docID, Content: "<string>", Public: true, CreatedAt: cm.CreatedAt}, cm)
	assert.True(t, cm.CreatedAt.Equal(ts))
	assert.Nil(t, e.Metadata, "an empty metadata object")
	assert.JSONEq(t, `{}`, string(e.Inputs))
	assert.Equal(t, strings.TrimSpace(body), string(e.Raw), "Raw is the execution exactly as received")
}

func TestExecutionFromWire(t *testing.T) {
	dur := wire.Float(12.5)
	e := ExecutionFromWire(wire.Execution{
		ID: "e1", Status: " Paused_By_Agent ", AgentVersion: 4, Duration: &dur,
		BrowserLiveViewURL: "https://live/old", BrowserRecordingURL: "https://rec/old",
		Metadata: wire.StringMap{"ticket": "T-1", "n": "2"},
	})
	assert.Equal(t, api.StatusPausedByAgent, e.Status, "case and spacing are normalised for known statuses")
	assert.Equal(t, 4, e.AgentVersion)
	assert.Equal(t, 12500*time.Millisecond, e.Duration)
	assert.Equal(t, "https://live/old", e.LiveViewURL, "browser* names are the fallback")
	assert.Equal(t, "https://rec/old", e.RecordingURL)
	assert.Equal(t, map[string]string{"ticket": "T-1", "n": "2"}, e.Metadata)
	assert.Nil(t, e.Result)
	assert.Contains(t, string(e.Raw), `"id":"e1"`)

	e = ExecutionFromWire(wire.Execution{ID: "e2", Status: "rerunning", LiveViewURL: "https://live/new", BrowserLiveViewURL: "https://live/old"})
	assert.Equal(t, api.Status("rerunning"), e.Status, "unknown statuses are kept verbatim")
	assert.False(t, e.Status.IsTerminal())
	assert.Equal(t, "https://live/new", e.LiveViewURL, "the newest name wins")
}

func TestExecutionToleratesOlderAndDriftingShapes(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}", `{
		"id":"e1","agentId":"a1","agentName":"Invoices","agentVersion":"7","agentVersionDirty":true,
		"status":"completed","createdAt":"2025-12-10T12:00:05.123456+00:00","terminalAt":null,
		"duration":"61.5","humanLabels":null,"comments":[],"metadata":{"retries":3,"ok":true},
		"executionResult":{"outcome":"success","reasoning":"done","result":null,"createdAt":"2025-12-10 12:01:06"},
		"someFutureField":{"nested":[1,2,3]}}`)
	e, err := f.client().GetExecution(context.Background(), "e1")
	require.NoError(t, err)
	assert.Equal(t, api.StatusCompleted, e.Status)
	assert.Equal(t, 7, e.AgentVersion)
	assert.Equal(t, 61500*time.Millisecond, e.Duration)
	assert.True(t, e.TerminalAt.IsZero())
	assert.Equal(t, map[string]string{"retries": "3", "ok": "true"}, e.Metadata)
	require.NotNil(t, e.Result)
	assert.Equal(t, "success", e.Result.Outcome)
	assert.Nil(t, e.Result.Data, "a null result is no data")
}

func TestListExecutionsSendsEveryFilter(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions", `{"items":[],"page":3,"pageSize":25,"total":0}`)
	after := time.Date(2025, 12, 1, 8, 30, 0, 0, time.FixedZone("CET", 3600))
	before := time.Date(2025, 12, 10, 0, 0, 0, 500_000_000, time.UTC)

	_, err := f.client().ListExecutions(context.Background(), api.ExecutionQuery{
		OrganizationID: "org-9",
		Page:           3,
		PageSize:       25,
		ExecutionID:    "7b0c",
		AgentID:        "agent-1",
		Statuses:       []api.Status{api.StatusRunning, api.StatusPaused},
		AgentVersion:   4,
		CreatedAfter:   after,
		CreatedBefore:  before,
		LabelIDs:       []string{"label-a", "label-b"},
		Outcome:        "fail",
		MetadataKey:    "ticket",
		MetadataValue:  "T-1",
		SortField:      "created_at",
		SortDirection:  api.SortDesc,
	})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"organizationId": {"org-9"},
		"page":           {"3"},
		"pageSize":       {"25"},
		"executionId":    {"7b0c"},
		"agentId":        {"agent-1"},
		"status":         {"running", "paused"},
		"agentVersion":   {"4"},
		"createdAfter":   {"2025-12-01T07:30:00Z"},
		"createdBefore":  {"2025-12-10T00:00:00.5Z"},
		"humanLabels":    {"label-a", "label-b"},
		"outcomeLabel":   {"fail"},
		"metadataKey":    {"ticket"},
		"metadataValue":  {"T-1"},
		"sortField":      {"created_at"},
		"sortDirection":  {"desc"},
	}, f.last().Query)
}

func TestListExecutionsDefaults(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions", `{"items":[{"id":"e1","status":"running"},{"id":"e2","status":"paused_by_agent"}],"page":1,"pageSize":50,"total":120}`)

	p, err := f.client().ListExecutions(context.Background(), api.ExecutionQuery{})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"page": {"1"}, "pageSize": {"50"}, "organizationId": {testOrg}}, f.last().Query,
		"page and pageSize are always sent; the configured organization fills in")
	require.Len(t, p.Items, 2)
	assert.Equal(t, api.StatusPausedByAgent, p.Items[1].Status)
	assert.JSONEq(t, `{"id":"e2","status":"paused_by_agent"}`, string(p.Items[1].Raw))
	assert.Equal(t, 120, p.Total)
	assert.True(t, p.HasMore())
}

func TestListExecutionsPageFallsBackToTheRequest(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions", `{"items":[{"id":"e1"}]}`)
	p, err := f.client(func(o *Options) { o.OrganizationID = "" }).ListExecutions(context.Background(), api.ExecutionQuery{Page: 2, PageSize: 10})
	require.NoError(t, err)
	assert.Equal(t, 2, p.Page)
	assert.Equal(t, 10, p.PageSize)
	assert.NotContains(t, f.last().Query, "organizationId")
}

func TestListExecutionsMetadataFilterNeedsBoth(t *testing.T) {
	f := newFake(t)
	_, err := f.client().ListExecutions(context.Background(), api.ExecutionQuery{MetadataKey: "ticket"})
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Empty(t, f.requests())
}

func TestStatusChanges(t *testing.T) {
	f := newFake(t)
	f.json("POST /agents/v2/executions/{id}/status", `"Execution status updated."`)
	c := f.client()
	ctx := context.Background()

	for _, tc := range []struct {
		do   func(context.Context, string) error
		want string
	}{{c.Pause, "paused"}, {c.Resume, "running"}, {c.Cancel, "cancelled"}} {
		require.NoError(t, tc.do(ctx, "e1"))
		req := f.last()
		assert.Equal(t, http.MethodPost, req.Method)
		assert.Equal(t, "/agents/v2/executions/e1/status", req.Path)
		assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
		assert.JSONEq(t, `{"status":"`+tc.want+`"}`, string(req.Body))
	}
}

func TestIllegalTransitionIsInvalid(t *testing.T) {
	f := newFake(t)
	f.reply("POST /agents/v2/executions/{id}/status", http.StatusBadRequest, "application/json",
		`{"code":400,"message":"Cannot transition from completed to paused."}`)
	err := f.client().Pause(context.Background(), "e1")
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Equal(t, "POST /executions/{id}/status: invalid request (HTTP 400): Cannot transition from completed to paused.", err.Error())
}

func TestReplyAcceptsBareStringBodies(t *testing.T) {
	for name, body := range map[string]struct{ ctype, text string }{
		"json string":  {"application/json", `"User message added."`},
		"plain text":   {"text/plain", "User message added."},
		"text as json": {"application/json", "User message added."},
		"empty":        {"", ""},
		"object":       {"application/json", `{"message":"User message added."}`},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.reply("POST /agents/v2/executions/{id}/user-messages", http.StatusCreated, body.ctype, body.text)
			require.NoError(t, f.client().Reply(context.Background(), "e1", "Use account B\nthanks"))
			var sent map[string]string
			require.NoError(t, json.Unmarshal(f.last().Body, &sent))
			assert.Equal(t, map[string]string{"message": "Use account B\nthanks"}, sent)
		})
	}
}

func TestReplyRefusesAnEmptyMessage(t *testing.T) {
	f := newFake(t)
	err := f.client().Reply(context.Background(), "e1", "  \n")
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Empty(t, f.requests())
}

// TestOneOddItemDoesNotFailThePage: drifting scalars are read tolerantly, and
// an item that still cannot be read is left out (and logged), never the page.
func TestOneOddItemDoesNotFailThePage(t *testing.T) {
	var log bytes.Buffer
	f := newFake(t)
	f.json("GET /agents/v2/executions", `{"items":[
		{"id":"e1","status":"running","createdAt":"2026-03-01 10:00:00.123456+00"},
		{"id":42,"status":"running","agentId":7},
		{"id":"e3","hasBeenRerun":"false","agentVersionDirty":1},
		{"id":"e4","comments":[{"id":"c1","content":"hi","createdAt":"not a time","public":"true"}]},
		{"id":"e5","agentVersion":"v3"},
		null,
		"not an object",
		{"id":"e8","createdAt":{"nested":true}}
	],"page":1,"pageSize":50,"total":8}`)
	c := f.client(func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(&log, nil)) })

	p, err := c.ListExecutions(context.Background(), api.ExecutionQuery{})
	require.NoError(t, err)
	var ids []string
	for _, e := range p.Items {
		ids = append(ids, e.ID)
	}
	assert.Equal(t, []string{"e1", "42", "e3", "e4", "e8"}, ids)
	assert.Equal(t, 8, p.Total, "the server's total")
	assert.True(t, p.Items[0].CreatedAt.Equal(time.Date(2026, 3, 1, 10, 0, 0, 123456000, time.UTC)), "a Postgres-style time")
	assert.Equal(t, "7", p.Items[1].AgentID)
	require.Len(t, p.Items[3].Comments, 1)
	assert.True(t, p.Items[3].Comments[0].Public)
	assert.True(t, p.Items[3].Comments[0].CreatedAt.IsZero())
	assert.True(t, p.Items[4].CreatedAt.IsZero())
	assert.Equal(t, 3, strings.Count(log.String(), "skipped an unreadable item"), log.String())
	assert.Contains(t, log.String(), "op=\"GET /executions\"")
}

func TestOneOddItemDoesNotFailOtherListings(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/agents", `{"items":[{"id":1,"name":"one"},{"id":"a2","name":"two","createdAt":"2026-03-01 10:00:00+00"},{"id":["bad"]}]}`)
	f.json("GET /agents/v2/agent-profile-pools", `{"items":[{"id":"p1","allowConcurrentUse":"true"},{"id":"p2","allowConcurrentUse":"perhaps"}]}`)
	f.json("GET /api/v1/agent-profiles", `[{"id":"pr1","sticky_ip":"1","cookies":[{"id":5,"secure":"false"}]},{"id":"pr2","captcha_solver_active":"sometimes"}]`)
	f.json("GET /agents/v2/executions/{id}/context-files", `[{"id":"cf1","fileSize":"big"},{"id":"cf2","createdAt":"2026-03-01 10:00:00+00"}]`)
	f.json("GET /agents/v2/executions/{id}/agent-files", `{"directories":{"downloads":[{"id":"d1"},{"id":"d2","fileSize":{}}]}}`)
	c := f.client()
	ctx := context.Background()

	agents, err := c.ListAgents(ctx, api.AgentQuery{})
	require.NoError(t, err)
	require.Len(t, agents.Items, 2)
	assert.Equal(t, "1", agents.Items[0].ID)
	assert.False(t, agents.Items[1].CreatedAt.IsZero())

	pools, err := c.ListPools(ctx, api.PoolQuery{})
	require.NoError(t, err)
	require.Len(t, pools.Items, 1)
	assert.True(t, pools.Items[0].AllowConcurrentUse)

	profiles, err := c.ListProfiles(ctx, api.ProfileQuery{})
	require.NoError(t, err)
	require.Len(t, profiles, 1)
	assert.True(t, profiles[0].StickyIP)
	require.Len(t, profiles[0].Cookies, 1)
	assert.Equal(t, "5", profiles[0].Cookies[0].ID)

	files, err := c.Files(ctx, "e1")
	require.NoError(t, err)
	var ids []string
	for _, f := range files {
		ids = append(ids, f.ID)
	}
	assert.Equal(t, []string{"cf2", "d1"}, ids)
}
