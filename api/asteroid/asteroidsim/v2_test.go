package asteroidsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

func TestAuth(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	assert.Equal(t, DemoKey(0), f.key)
	assert.True(t, strings.HasPrefix(f.key, "sim_demo_"))

	for _, tc := range []struct {
		name, path, header, key string
		v1                      bool
	}{
		{"v2 missing", "/agents/v2/agents", "", "", false},
		{"v2 wrong", "/agents/v2/executions", "X-Asteroid-Agents-Api-Key", "sim_demo_nope", false},
		{"v1 missing", "/api/v1/agent-profiles", "", "", true},
		{"v1 wrong alt header", "/api/v1/credentials/public_key", "X-Api-Key", "nope", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, f.srv.URL+tc.path, nil)
			if tc.header != "" {
				req.Header.Set(tc.header, tc.key)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			var raw json.RawMessage
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
			res := response{status: resp.StatusCode, body: raw}
			if tc.v1 {
				v1Error(t, res, http.StatusUnauthorized)
			} else {
				v2Error(t, res, http.StatusUnauthorized)
			}
		})
	}

	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/agents/v2/context", nil)
	req.Header.Set("X-Api-Key", f.key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "X-Api-Key is accepted too")

	resp, err = http.Get(f.srv.URL + "/api/v1/health")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "health needs no key")
}

func TestUnknownEndpoints(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	v2Error(t, f.do(http.MethodGet, "/agents/v2/nothing", nil), http.StatusNotFound)
	v1Error(t, f.do(http.MethodGet, "/api/v1/nothing", nil), http.StatusNotFound)
}

func TestAgentsEndpoint(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	var p wire.Page[wire.Agent]
	f.get("/agents/v2/agents?page=1&pageSize=10", http.StatusOK, &p)
	assert.EqualValues(t, 10, p.Total)
	assert.EqualValues(t, 10, p.PageSize)
	for _, a := range p.Items {
		assert.NotEmpty(t, a.ID)
		assert.NotEmpty(t, a.Description)
		assert.Equal(t, f.e.Organization().ID, string(a.OrganizationID))
		assert.Equal(t, f.e.User().ID, string(a.UserID))
		assert.False(t, a.CreatedAt.IsZero())
	}

	f.get("/agents/v2/agents?pageSize=3&page=2&sortField=name&sortDirection=asc", http.StatusOK, &p)
	require.Len(t, p.Items, 3)
	assert.EqualValues(t, 10, p.Total)
	names := []string{string(p.Items[0].Name), string(p.Items[1].Name), string(p.Items[2].Name)}
	assert.True(t, slices.IsSorted(names), "%v", names)

	f.get("/agents/v2/agents?searchName=INVOICE", http.StatusOK, &p)
	require.EqualValues(t, 1, p.Total)
	assert.Contains(t, string(p.Items[0].Name), "Invoice")

	res := f.do(http.MethodGet, "/agents/v2/agents?sortField=colour", nil)
	assert.Equal(t, http.StatusBadRequest, res.status)
	assert.Equal(t, "Invalid request parameters.", jsonString(t, res.body))
	res = f.do(http.MethodGet, "/agents/v2/agents?organizationId=00000000-0000-4000-8000-000000000000", nil)
	assert.Equal(t, http.StatusNotFound, res.status)
	assert.Equal(t, "Organization not found.", jsonString(t, res.body))
}

// allExecutions pages through the unfiltered list.
func (f *fixture) allExecutions() []wire.Execution {
	var out []wire.Execution
	for page := 1; ; page++ {
		var p wire.Page[wire.Execution]
		f.get(fmt.Sprintf("/agents/v2/executions?page=%d&pageSize=100", page), http.StatusOK, &p)
		out = append(out, p.Items...)
		if len(out) >= int(p.Total) {
			return out
		}
	}
}

func TestExecutionFilters(t *testing.T) {
	f := newFixture(t, sim.Config{Seed: 5}, HandlerOptions{})
	all := f.allExecutions()
	require.Greater(t, len(all), 50)
	sample := all[len(all)/2]
	var labelled, withMeta wire.Execution
	for _, x := range all {
		if len(x.HumanLabels) > 0 && labelled.ID == "" {
			labelled = x
		}
		if x.Metadata["batch"] != "" && withMeta.ID == "" {
			withMeta = x
		}
	}
	require.NotEmpty(t, labelled.ID, "some executions carry labels")
	require.NotEmpty(t, withMeta.ID, "some executions carry a batch")
	cut := sample.CreatedAt.Time

	for _, tc := range []struct {
		name  string
		query url.Values
		want  func(x wire.Execution) bool
	}{
		{"status (repeated)", url.Values{"status": {"completed", "paused_by_agent"}},
			func(x wire.Execution) bool { return x.Status == "completed" || x.Status == "paused_by_agent" }},
		{"agentId", url.Values{"agentId": {string(sample.AgentID)}},
			func(x wire.Execution) bool { return x.AgentID == sample.AgentID }},
		{"executionId partial, any case", url.Values{"executionId": {strings.ToUpper(string(sample.ID[4:13]))}},
			func(x wire.Execution) bool { return strings.Contains(string(x.ID), string(sample.ID[4:13])) }},
		{"agentVersion", url.Values{"agentVersion": {fmt.Sprint(sample.AgentVersion)}},
			func(x wire.Execution) bool { return x.AgentVersion == sample.AgentVersion }},
		{"createdAfter", url.Values{"createdAfter": {cut.Format(time.RFC3339Nano)}},
			func(x wire.Execution) bool { return x.CreatedAt.After(cut) }},
		{"createdBefore", url.Values{"createdBefore": {cut.Format("2006-01-02T15:04:05.000000-0700")}},
			func(x wire.Execution) bool { return x.CreatedAt.Before(cut) }},
		{"humanLabels (repeated)", url.Values{"humanLabels": {string(labelled.HumanLabels[0].ID), "not-a-label"}},
			func(x wire.Execution) bool {
				return slices.ContainsFunc(x.HumanLabels, func(l wire.HumanLabel) bool { return l.ID == labelled.HumanLabels[0].ID })
			}},
		{"outcomeLabel partial, any case", url.Values{"outcomeLabel": {"SUCC"}},
			func(x wire.Execution) bool { return x.ExecutionResult != nil && x.ExecutionResult.Outcome == "success" }},
		{"metadataKey and metadataValue", url.Values{"metadataKey": {"batch"}, "metadataValue": {string(withMeta.Metadata["batch"])}},
			func(x wire.Execution) bool { return x.Metadata["batch"] == withMeta.Metadata["batch"] }},
		{"organizationId", url.Values{"organizationId": {f.e.Organization().ID}},
			func(wire.Execution) bool { return true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, x := range all {
				if tc.want(x) {
					want = append(want, string(x.ID))
				}
			}
			require.NotEmpty(t, want, "the filter should match something")
			tc.query.Set("pageSize", "100")
			var p wire.Page[wire.Execution]
			f.get("/agents/v2/executions?"+tc.query.Encode(), http.StatusOK, &p)
			var got []string
			for _, x := range p.Items {
				got = append(got, string(x.ID))
			}
			assert.EqualValues(t, len(want), p.Total)
			assert.Equal(t, want, got, "same items, newest first")
		})
	}

	t.Run("paging", func(t *testing.T) {
		var p wire.Page[wire.Execution]
		f.get("/agents/v2/executions?page=2&pageSize=7", http.StatusOK, &p)
		assert.EqualValues(t, len(all), p.Total)
		assert.EqualValues(t, 2, p.Page)
		assert.EqualValues(t, 7, p.PageSize)
		require.Len(t, p.Items, 7)
		assert.Equal(t, all[7].ID, p.Items[0].ID)
		f.get("/agents/v2/executions", http.StatusOK, &p)
		assert.EqualValues(t, 10, p.PageSize, "default page size")
		f.get("/agents/v2/executions?pageSize=1000", http.StatusOK, &p)
		assert.EqualValues(t, sim.MaxPageSize, p.PageSize, "capped")
	})
	t.Run("sorting", func(t *testing.T) {
		var p wire.Page[wire.Execution]
		f.get("/agents/v2/executions?sortField=created_at&sortDirection=asc&pageSize=100", http.StatusOK, &p)
		assert.Equal(t, all[len(all)-1].ID, p.Items[0].ID, "oldest first")
		f.get("/agents/v2/executions?sortField=status&sortDirection=asc&pageSize=100", http.StatusOK, &p)
		var ss []string
		for _, x := range p.Items {
			ss = append(ss, string(x.Status))
		}
		assert.True(t, slices.IsSorted(ss), "%v", ss)
	})
	t.Run("bad parameters", func(t *testing.T) {
		for _, q := range []string{
			"metadataKey=batch", "metadataValue=x", "status=sleeping", "createdAfter=yesterday",
			"page=-1", "pageSize=ten", "sortField=name", "sortDirection=up", "agentVersion=x",
		} {
			v2Error(t, f.do(http.MethodGet, "/agents/v2/executions?"+q, nil), http.StatusBadRequest)
		}
		v2Error(t, f.do(http.MethodGet, "/agents/v2/executions?organizationId=other", nil), http.StatusForbidden)
	})
}

func TestExecutionDetail(t *testing.T) {
	f := newFixture(t, sim.Config{}, HandlerOptions{})
	var raw map[string]json.RawMessage
	f.get("/agents/v2/executions/"+f.find(api.StatusRunning), http.StatusOK, &raw)
	for _, k := range []string{"id", "agentId", "agentName", "workflowId", "agentVersion", "agentVersionDirty", "status",
		"createdAt", "organizationId", "humanLabels", "comments", "metadata", "agentProfileId", "agentProfileName",
		"browserLiveViewUrl", "liveViewUrl", "hasBeenRerun", "inputs", "triggerContext"} {
		assert.Contains(t, raw, k)
	}
	for _, k := range []string{"terminalAt", "duration", "executionResult", "browserRecordingUrl"} {
		assert.NotContains(t, raw, k, "not while running")
	}
	assert.JSONEq(t, "[]", string(raw["humanLabels"]), "arrays, not null")

	var x wire.Execution
	f.get("/agents/v2/executions/"+f.find(api.StatusCompleted), http.StatusOK, &x)
	require.NotNil(t, x.ExecutionResult)
	assert.Equal(t, x.ID, x.ExecutionResult.ExecutionID)
	assert.Equal(t, "success", string(x.ExecutionResult.Outcome))
	assert.True(t, json.Valid(x.ExecutionResult.Result))
	require.NotNil(t, x.Duration)
	assert.Positive(t, float64(*x.Duration))
	assert.False(t, x.TerminalAt.IsZero())
	assert.True(t, strings.HasPrefix(string(x.BrowserRecordingURL), "https://"))
	assert.Equal(t, x.BrowserRecordingURL, x.RecordingURL)
	assert.Empty(t, x.BrowserLiveViewURL)
	var tc wire.TriggerContext
	require.NoError(t, json.Unmarshal(x.TriggerContext, &tc))
	assert.NotEmpty(t, tc.Source)

	v2Error(t, f.do(http.MethodGet, "/agents/v2/executions/nope", nil), http.StatusNotFound)
}

func TestExecuteEndpoint(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	agents, err := f.e.Agents(api.AgentQuery{})
	require.NoError(t, err)
	agent := agents.Items[0].ID
	profiles, _ := f.e.Profiles("")
	version := agents.Items[0].Version

	res := f.do(http.MethodPost, "/agents/v2/agents/"+agent+"/execute", wire.ExecuteRequest{
		AgentProfileID: profiles[0].ID, Inputs: map[string]any{"month": "May 2025"}, DynamicData: map[string]any{"month": "old", "extra": 1},
		Metadata: map[string]string{"ticket": "OPS-7"}, Version: &version,
		ExecutionOptions: &wire.ExecutionOptions{SharedStorageKey: "acme", SoftTimeoutMins: 30}})
	require.Equal(t, http.StatusAccepted, res.status, "%s", res.body)
	var out wire.ExecuteResponse
	require.NoError(t, json.Unmarshal(res.body, &out))
	var x wire.Execution
	f.get("/agents/v2/executions/"+out.ExecutionID, http.StatusOK, &x)
	assert.Equal(t, "starting", string(x.Status))
	assert.Equal(t, profiles[0].ID, string(x.AgentProfileID))
	assert.Equal(t, "OPS-7", string(x.Metadata["ticket"]))
	assert.JSONEq(t, `"May 2025"`, string(mustField(t, x.Inputs, "month")), "inputs win over dynamicData")
	assert.JSONEq(t, `1`, string(mustField(t, x.Inputs, "extra")))
	require.NotNil(t, x.ExecutionOptions)
	assert.Equal(t, "acme", x.ExecutionOptions.SharedStorageKey)

	pools, _ := f.e.Pools(api.PoolQuery{})
	res = f.do(http.MethodPost, "/agents/v2/agents/"+agent+"/execute", wire.ExecuteRequest{AgentProfilePoolID: pools.Items[0].ID})
	assert.Equal(t, http.StatusAccepted, res.status, "%s", res.body)

	v2Error(t, f.do(http.MethodPost, "/agents/v2/agents/"+agent+"/execute",
		wire.ExecuteRequest{AgentProfileID: profiles[0].ID, AgentProfilePoolID: pools.Items[0].ID}), http.StatusBadRequest)
	v2Error(t, f.do(http.MethodPost, "/agents/v2/agents/nope/execute", wire.ExecuteRequest{}), http.StatusNotFound)
	v2Error(t, f.do(http.MethodPost, "/agents/v2/agents/"+agent+"/execute", []byte("{")), http.StatusBadRequest)
	v2Error(t, f.do(http.MethodPost, "/agents/v2/agents/"+agent+"/execute", wire.ExecuteRequest{AgentProfileID: "nope"}), http.StatusBadRequest)
}

func mustField(t *testing.T, obj json.RawMessage, key string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(obj, &m))
	require.Contains(t, m, key)
	return m[key]
}

func TestStatusEndpoint(t *testing.T) {
	f := newFixture(t, sim.Config{}, HandlerOptions{})
	id := f.find(api.StatusRunning)
	path := "/agents/v2/executions/" + id + "/status"
	res := f.do(http.MethodPost, path, wire.StatusUpdateRequest{Status: "paused"})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	assert.Equal(t, `"Execution status updated."`, string(res.body), "a bare JSON string")
	assert.Equal(t, "application/json", res.header.Get("Content-Type"))
	v2Error(t, f.do(http.MethodPost, path, wire.StatusUpdateRequest{Status: "paused"}), http.StatusBadRequest)
	require.Equal(t, http.StatusOK, f.do(http.MethodPost, path, wire.StatusUpdateRequest{Status: "running"}).status)
	require.Equal(t, http.StatusOK, f.do(http.MethodPost, path, wire.StatusUpdateRequest{Status: "cancelled"}).status)
	msg := v2Error(t, f.do(http.MethodPost, path, wire.StatusUpdateRequest{Status: "running"}), http.StatusBadRequest)
	assert.Contains(t, msg, "cancelled")
	v2Error(t, f.do(http.MethodPost, "/agents/v2/executions/"+f.find(api.StatusPausedByAgent)+"/status",
		wire.StatusUpdateRequest{Status: "running"}), http.StatusBadRequest)
	v2Error(t, f.do(http.MethodPost, path, wire.StatusUpdateRequest{Status: "completed"}), http.StatusBadRequest)
	v2Error(t, f.do(http.MethodPost, path, []byte(`{}`)), http.StatusBadRequest)
	v2Error(t, f.do(http.MethodPost, "/agents/v2/executions/nope/status", wire.StatusUpdateRequest{Status: "paused"}), http.StatusNotFound)
}

// payloads decodes a feed's payloads as raw objects.
func payloads(t *testing.T, f *fixture, path string) ([]wire.Activity, []map[string]json.RawMessage) {
	t.Helper()
	var acts []wire.Activity
	f.get(path, http.StatusOK, &acts)
	out := make([]map[string]json.RawMessage, len(acts))
	for i, a := range acts {
		require.NoError(t, json.Unmarshal(a.Payload, &out[i]))
	}
	return acts, out
}

func TestActivityShapes(t *testing.T) {
	for _, shape := range []wire.PayloadShape{wire.ShapeFlat, wire.ShapeEnvelope} {
		t.Run(fmt.Sprint(shape), func(t *testing.T) {
			f := newFixture(t, sim.Config{}, HandlerOptions{Shape: shape})
			id := f.find(api.StatusCompleted)
			acts, raw := payloads(t, f, "/agents/v2/executions/"+id+"/activities")
			require.NotEmpty(t, acts)
			kinds := map[string]bool{}
			for i, p := range raw {
				assert.Equal(t, id, acts[i].ExecutionID)
				assert.Contains(t, p, "activityType")
				_, hasData := p["data"]
				assert.Equal(t, shape == wire.ShapeEnvelope, hasData, "payload %s", acts[i].Payload)
				typ, body, err := wire.DecodePayload(acts[i].Payload)
				require.NoError(t, err)
				kinds[typ] = true
				switch typ {
				case wire.TypeActionStarted, wire.TypeActionCompleted:
					assert.NotEmpty(t, body.ActionName)
					assert.NotEmpty(t, body.ActionID)
					assert.NotEmpty(t, body.Message)
				case wire.TypeStatusChanged:
					if body.Status == "completed" {
						require.NotNil(t, body.CompletedPayload)
						assert.NotEmpty(t, body.CompletedPayload.Outcome)
					}
				case wire.TypeStepStarted:
					require.NotNil(t, body.StepNumber)
				}
				if i > 0 {
					assert.False(t, acts[i].Timestamp.Before(acts[i-1].Timestamp.Time), "oldest first")
				}
			}
			for _, k := range []string{wire.TypeStatusChanged, wire.TypeStepStarted, wire.TypeActionStarted, wire.TypeActionCompleted, wire.TypeTransitionedNode} {
				assert.True(t, kinds[k], "feed has %s", k)
			}

			// The older generation also has the older action names and nested info.
			_, body, _ := wire.DecodePayload(firstOf(t, acts, func(b wire.Body) bool { return b.ActionName != "" && len(b.Info) > 0 }))
			var info map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(body.Info, &info))
			assert.Contains(t, info, "actionName")
			_, nested := info["info"]
			assert.Equal(t, shape == wire.ShapeEnvelope, nested, "%s", body.Info)

			var desc []wire.Activity
			f.get("/agents/v2/executions/"+id+"/activities?order=desc&limit=5", http.StatusOK, &desc)
			require.Len(t, desc, 5)
			assert.Equal(t, acts[len(acts)-1].ID, desc[0].ID, "newest first")
			v2Error(t, f.do(http.MethodGet, "/agents/v2/executions/"+id+"/activities?order=sideways", nil), http.StatusBadRequest)
			v2Error(t, f.do(http.MethodGet, "/agents/v2/executions/"+id+"/activities?limit=x", nil), http.StatusBadRequest)
			v2Error(t, f.do(http.MethodGet, "/agents/v2/executions/nope/activities", nil), http.StatusNotFound)
		})
	}
}

func TestEnvelopeUsesOlderActionNames(t *testing.T) {
	names := func(shape wire.PayloadShape) map[string]bool {
		f := newFixture(t, sim.Config{}, HandlerOptions{Shape: shape})
		acts, _ := payloads(t, f, "/agents/v2/executions/"+f.find(api.StatusPausedByAgent)+"/activities")
		out := map[string]bool{}
		for _, a := range acts {
			_, b, err := wire.DecodePayload(a.Payload)
			require.NoError(t, err)
			if b.ActionName != "" {
				out[string(b.ActionName)] = true
			}
		}
		return out
	}
	assert.True(t, names(wire.ShapeFlat)[wire.ActionSendUserMessage])
	env := names(wire.ShapeEnvelope)
	assert.True(t, env[wire.ActionSendUserMessageOld])
	assert.False(t, env[wire.ActionSendUserMessage])
}

func firstOf(t *testing.T, acts []wire.Activity, match func(wire.Body) bool) json.RawMessage {
	t.Helper()
	for _, a := range acts {
		if _, b, err := wire.DecodePayload(a.Payload); err == nil && match(b) {
			return a.Payload
		}
	}
	t.Fatal("no matching activity")
	return nil
}

func TestUserMessagesEndpoint(t *testing.T) {
	f := newFixture(t, sim.Config{}, HandlerOptions{})
	id := f.find(api.StatusPausedByAgent)
	path := "/agents/v2/executions/" + id + "/user-messages"
	res := f.do(http.MethodPost, path, wire.UserMessageRequest{Message: "The code is 493021"})
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	assert.Equal(t, wire.MsgUserMessageAdded, jsonString(t, res.body))

	var acts []wire.Activity
	f.get("/agents/v2/executions/"+id+"/activities?order=desc&limit=2", http.StatusOK, &acts)
	typ, b, _ := wire.DecodePayload(acts[1].Payload)
	assert.Equal(t, wire.TypeUserMessage, typ)
	assert.Equal(t, "The code is 493021", string(b.Message))
	assert.Equal(t, f.e.User().ID, b.UserUUID)
	typ, b, _ = wire.DecodePayload(acts[0].Payload)
	assert.Equal(t, wire.TypeStatusChanged, typ)
	assert.Equal(t, "running", string(b.Status))

	// Accepted while running too (recorded only).
	require.Equal(t, http.StatusCreated, f.do(http.MethodPost, path, wire.UserMessageRequest{Message: "thanks"}).status)
	v2Error(t, f.do(http.MethodPost, path, wire.UserMessageRequest{}), http.StatusBadRequest)
	v2Error(t, f.do(http.MethodPost, "/agents/v2/executions/"+f.find(api.StatusFailed)+"/user-messages",
		wire.UserMessageRequest{Message: "hello?"}), http.StatusBadRequest)
	v2Error(t, f.do(http.MethodPost, "/agents/v2/executions/nope/user-messages", wire.UserMessageRequest{Message: "x"}), http.StatusNotFound)
}

func TestPoolEndpoints(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	var p wire.Page[wire.Pool]
	f.get("/agents/v2/agent-profile-pools", http.StatusOK, &p)
	assert.EqualValues(t, 50, p.PageSize)
	assert.EqualValues(t, 2, p.Total)
	f.get("/agents/v2/agent-profile-pools?searchName=US&sortField=updated_at&sortDirection=asc", http.StatusOK, &p)
	require.EqualValues(t, 1, p.Total)

	res := f.do(http.MethodPost, "/agents/v2/agent-profile-pools", wire.CreatePoolRequest{Name: "weekend", OrganizationID: f.e.Organization().ID})
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	var created wire.Pool
	require.NoError(t, json.Unmarshal(res.body, &created))
	assert.Equal(t, "least_recently_used", string(created.SelectionStrategy))
	assert.False(t, bool(created.AllowConcurrentUse))
	v2Error(t, f.do(http.MethodPost, "/agents/v2/agent-profile-pools", wire.CreatePoolRequest{Name: "weekend"}), http.StatusBadRequest)
	v2Error(t, f.do(http.MethodPost, "/agents/v2/agent-profile-pools", wire.CreatePoolRequest{Name: "x", OrganizationID: "other"}), http.StatusForbidden)

	strategy := "most_recently_used"
	res = f.do(http.MethodPatch, "/agents/v2/agent-profile-pools/"+string(created.ID), wire.UpdatePoolRequest{SelectionStrategy: &strategy})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var got wire.Pool
	f.get("/agents/v2/agent-profile-pools/"+string(created.ID), http.StatusOK, &got)
	assert.Equal(t, strategy, string(got.SelectionStrategy))
	bad := "random"
	v2Error(t, f.do(http.MethodPatch, "/agents/v2/agent-profile-pools/"+string(created.ID), wire.UpdatePoolRequest{SelectionStrategy: &bad}), http.StatusBadRequest)
	v2Error(t, f.do(http.MethodGet, "/agents/v2/agent-profile-pools/nope", nil), http.StatusNotFound)
}

func TestContextEndpoint(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	var c wire.UserContext
	f.get("/agents/v2/context", http.StatusOK, &c)
	assert.Equal(t, f.e.User().ID, c.UserID)
	assert.Equal(t, "ops@harborlight.example", string(c.Email))
	require.Len(t, c.Organizations, 1)
	assert.Equal(t, f.e.Organization().ID, c.Organizations[0].ID)
	assert.Equal(t, "Harborlight Logistics", string(c.Organizations[0].Name))
}
