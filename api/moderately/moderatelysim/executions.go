package moderatelysim

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
)

// summaryKey is the metadata key that keeps an execution's input summary.
const summaryKey = "agentInputSummary"

// wireStatus is the platform's word for an engine status: the statuses that
// wait for a person are all "paused".
func wireStatus(s api.Status) string {
	switch s {
	case api.StatusStarting:
		return "pending"
	case api.StatusPausedByAgent, api.StatusAwaitingConfirmation:
		return "paused"
	}
	return string(s)
}

// engineStatuses maps the platform's status words to the engine's.
func engineStatuses(words []string) ([]api.Status, error) {
	var out []api.Status
	for _, w := range words {
		switch w {
		case "pending":
			out = append(out, api.StatusStarting)
		case "running", "completed", "failed", "cancelled":
			out = append(out, api.Status(w))
		case "paused":
			out = append(out, api.StatusPaused, api.StatusPausedByAgent, api.StatusAwaitingConfirmation)
		default:
			return nil, &api.Error{Kind: api.KindInvalid, Message: "invalid status " + strings.TrimSpace(w) + " (pending, running, paused, completed, failed, cancelled)"}
		}
	}
	return out, nil
}

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// run is what an execution's JSON needs beyond the engine's record.
type run struct {
	x       sim.Execution
	acts    []sim.Activity
	started time.Time
}

// load reads an execution's feed too.
func (h *handler) load(x sim.Execution) run {
	acts, _ := h.e.Activities(x.ID, api.ActivityQuery{})
	r := run{x: x, acts: acts}
	for _, a := range acts {
		if a.Kind == api.KindStatusChanged && a.Change != nil && a.Change.Status == api.StatusRunning {
			r.started = a.Time
			break
		}
	}
	return r
}

// ended returns completedAt, failedAt and cancelledAt.
func ended(x sim.Execution) (completed, failed, cancelled any) {
	switch x.Status {
	case api.StatusCompleted:
		return ts(x.TerminalAt), nil, nil
	case api.StatusFailed:
		return nil, ts(x.TerminalAt), nil
	case api.StatusCancelled:
		return nil, nil, ts(x.TerminalAt)
	}
	return nil, nil, nil
}

func pausedAt(x sim.Execution) any {
	if wireStatus(x.Status) == "paused" {
		return ts(x.UpdatedAt)
	}
	return nil
}

// output is a result as the platform's output object and summary.
func output(x sim.Execution) (any, any) {
	if x.Result == nil {
		if x.Status == api.StatusFailed || x.Status == api.StatusCancelled {
			return nil, nilIfEmpty(x.StatusReason)
		}
		return nil, nil
	}
	var data any
	if json.Unmarshal(x.Result.Data, &data) != nil || data == nil {
		data = map[string]any{}
	}
	if _, ok := data.(map[string]any); !ok {
		data = map[string]any{"result": data}
	}
	return data, x.Result.Reasoning
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (h *handler) summary(x sim.Execution) string {
	if s := x.Metadata[summaryKey]; s != "" {
		return s
	}
	if x.Trigger == sim.TriggerSchedule {
		return "Scheduled run of " + x.AgentName
	}
	return "Run of " + x.AgentName
}

func inputOf(x sim.Execution) map[string]any {
	if x.Inputs == nil {
		return map[string]any{}
	}
	return x.Inputs
}

// agentExecution is the spec's AgentExecution (every key present).
func (h *handler) agentExecution(r run) map[string]any {
	x := r.x
	thoughts := []map[string]any{}
	steps := 0
	for _, a := range r.acts {
		switch a.Kind {
		case api.KindReasoning:
			thoughts = append(thoughts, map[string]any{"text": a.Reasoning, "createdAt": ts(a.Time)})
		case api.KindStepStarted:
			steps++
		}
	}
	out, outSummary := output(x)
	completed, failed, cancelled := ended(x)
	a, _ := h.agentOf(x)
	return map[string]any{
		"agentExecutionId": x.ID, "agentConfigurationVersionId": versionID(a, max(x.AgentVersion, 1)),
		"agentInput": inputOf(x), "agentInputSchema": map[string]any{"type": "object"}, "agentInputSummary": h.summary(x),
		"agentOutput": out, "agentOutputSchema": map[string]any{"type": "object"}, "agentOutputSummary": outSummary,
		"status": wireStatus(x.Status), "thoughts": thoughts, "maxActions": 50, "currentStep": steps, "planningInterval": 5,
		"createdAt": ts(x.CreatedAt), "updatedAt": ts(x.UpdatedAt), "startedAt": ts(r.started),
		"completedAt": completed, "failedAt": failed, "cancelledAt": cancelled, "pausedAt": pausedAt(x),
	}
}

// pipelineExecution is the spec's PipelineExecution; pipelineId and
// pipelineName are the façade's additions.
func (h *handler) pipelineExecution(r run) map[string]any {
	x := r.x
	steps := 0
	for _, a := range r.acts {
		if a.Kind == api.KindStepStarted {
			steps++
		}
	}
	var total any
	if x.Status.IsTerminal() {
		total = max(steps, 1)
	}
	out, outSummary := output(x)
	completed, failed, cancelled := ended(x)
	h.mu.Lock()
	reason := h.reasons[x.ID]
	h.mu.Unlock()
	return map[string]any{
		"pipelineExecutionId": x.ID, "pipelineId": x.AgentID, "pipelineName": x.AgentName,
		"pipelineConfigurationVersionId": "pcv_" + x.AgentID + "_v" + itoa(max(x.AgentVersion, 1)),
		"pipelineInput":                  inputOf(x), "pipelineInputSummary": h.summary(x),
		"pipelineOutput": out, "pipelineOutputSummary": outSummary, "status": wireStatus(x.Status),
		"progressData": map[string]any{"stepsDone": steps}, "pipelineOutputFileUri": nil,
		"currentStep": steps, "totalSteps": total, "cancellationReason": nilIfEmpty(reason),
		"createdAt": ts(x.CreatedAt), "updatedAt": ts(x.UpdatedAt), "startedAt": ts(r.started),
		"completedAt": completed, "failedAt": failed, "cancelledAt": cancelled, "pausedAt": pausedAt(x),
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func (h *handler) agentOf(x sim.Execution) (sim.Agent, bool) {
	for _, a := range h.agents {
		if a.ID == x.AgentID {
			return a, true
		}
	}
	return sim.Agent{ID: x.AgentID}, false
}

// listExecutions serves both listings: pipelines says which kind.
func (h *handler) listExecutions(w http.ResponseWriter, r *http.Request, pipelines bool) {
	q := r.URL.Query()
	most, def, dir := 100, 20, api.SortDesc
	if pipelines {
		most, def, dir = 1000, 10, api.SortAsc // the spec's limits and default order
	}
	page, size, err := paging(q, def, most)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if dir, err = direction(q, dir); err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	statuses, err := engineStatuses(list(q, "statuses", "status"))
	if err != nil {
		fail(w, r, err)
		return
	}
	ids := list(q, "agentExecutionIds", "agent_execution_ids", "pipelineExecutionIds", "pipeline_execution_ids")
	agents := list(q, "agentIds", "agent_ids", "agent_id", "agentId", "pipelineIds", "pipeline_ids", "pipeline_id")
	var versions []string
	for _, v := range list(q, "agentConfigurationVersionIds", "agent_configuration_version_ids", "pipelineConfigurationVersionIds") {
		if ref, ok := h.versions[v]; ok {
			versions = append(versions, versionID(ref.agent, ref.number))
		} else {
			versions = append(versions, "\x00"+v) // matches nothing
		}
	}
	hasOutput := first(q, "hasAgentOutput", "has_agent_output")
	keep := func(x *sim.Execution) bool {
		switch {
		case h.pipeline[x.AgentID] != pipelines,
			len(ids) > 0 && !slices.Contains(ids, x.ID),
			len(agents) > 0 && !slices.Contains(agents, x.AgentID),
			len(versions) > 0 && !slices.Contains(versions, "acv_"+x.AgentID+"_v"+itoa(max(x.AgentVersion, 1))),
			hasOutput == "true" && x.Result == nil,
			hasOutput == "false" && x.Result != nil:
			return false
		}
		return true
	}
	// A page larger than the engine's is read as several of its pages.
	var items []map[string]any
	total, start := 0, (page-1)*size
	for ep := start/sim.MaxPageSize + 1; ; ep++ {
		p, err := h.e.Select(api.ExecutionQuery{Statuses: statuses, Page: ep, PageSize: sim.MaxPageSize,
			SortField: "created_at", SortDirection: dir}, keep)
		if err != nil {
			fail(w, r, err)
			return
		}
		total = p.Total
		for i, x := range p.Items {
			if idx := (ep-1)*sim.MaxPageSize + i; idx < start || idx >= start+size {
				continue
			}
			if pipelines {
				items = append(items, h.pipelineExecution(h.load(x)))
			} else {
				items = append(items, h.agentExecution(h.load(x)))
			}
		}
		if len(p.Items) < sim.MaxPageSize || ep*sim.MaxPageSize >= start+size {
			break
		}
	}
	writeJSON(w, http.StatusOK, pageOf(items, page, size, total))
}

func (h *handler) listAgentExecutions(w http.ResponseWriter, r *http.Request) {
	h.listExecutions(w, r, false)
}

func (h *handler) listPipelineExecutions(w http.ResponseWriter, r *http.Request) {
	h.listExecutions(w, r, true)
}

// execution finds an execution of the kind asked for.
func (h *handler) execution(w http.ResponseWriter, r *http.Request, pipelines bool) (sim.Execution, bool) {
	x, err := h.e.Execution(r.PathValue("id"))
	if err == nil && h.pipeline[x.AgentID] == pipelines {
		return x, true
	}
	what := "Agent execution"
	if pipelines {
		what = "Pipeline execution"
	}
	writeError(w, r, http.StatusNotFound, what+" not found.")
	return sim.Execution{}, false
}

func (h *handler) getAgentExecution(w http.ResponseWriter, r *http.Request) {
	if x, ok := h.execution(w, r, false); ok {
		writeJSON(w, http.StatusOK, h.agentExecution(h.load(x)))
	}
}

func (h *handler) getPipelineExecution(w http.ResponseWriter, r *http.Request) {
	if x, ok := h.execution(w, r, true); ok {
		writeJSON(w, http.StatusOK, h.pipelineExecution(h.load(x)))
	}
}

// cancel cancels an execution of one kind, keeping a pipeline's reason.
func (h *handler) cancel(w http.ResponseWriter, r *http.Request, pipelines bool) {
	x, ok := h.execution(w, r, pipelines)
	if !ok {
		return
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if data, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10)); len(strings.TrimSpace(string(data))) > 0 {
		if json.Unmarshal(data, &body) != nil {
			writeError(w, r, http.StatusBadRequest, "The body must be a JSON object.")
			return
		}
	}
	if utf8.RuneCountInString(body.Reason) > 500 {
		writeError(w, r, http.StatusBadRequest, "reason must be at most 500 characters")
		return
	}
	if x.Status.IsTerminal() {
		writeError(w, r, http.StatusBadRequest, "The execution is already "+string(x.Status)+" and cannot be cancelled.")
		return
	}
	if err := h.e.SetStatus(x.ID, api.StatusCancelled); err != nil {
		fail(w, r, err)
		return
	}
	if body.Reason != "" {
		h.mu.Lock()
		h.reasons[x.ID] = body.Reason
		h.mu.Unlock()
	}
	x, _ = h.e.Execution(x.ID)
	if pipelines {
		writeJSON(w, http.StatusOK, h.pipelineExecution(h.load(x)))
	} else {
		writeJSON(w, http.StatusOK, h.agentExecution(h.load(x)))
	}
}

func (h *handler) cancelAgentExecution(w http.ResponseWriter, r *http.Request) { h.cancel(w, r, false) }

func (h *handler) cancelPipelineExecution(w http.ResponseWriter, r *http.Request) {
	h.cancel(w, r, true)
}

// createAgentExecution takes the spec's body {agentConfigurationVersionId,
// agentInput, agentInputSummary} or the SDK's {agent_id, input_data}.
func (h *handler) createAgentExecution(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if json.Unmarshal(data, &body) != nil {
		writeError(w, r, http.StatusBadRequest, "The body must be a JSON object.")
		return
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			var s string
			if json.Unmarshal(body[k], &s) == nil && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s)
			}
		}
		return ""
	}
	var a sim.Agent
	number := 0
	spec := str("agentConfigurationVersionId", "agent_configuration_version_id")
	if spec != "" {
		ref, ok := h.versions[spec]
		if !ok || h.pipeline[ref.agent.ID] {
			writeError(w, r, http.StatusNotFound, "Agent configuration version not found.")
			return
		}
		a, number = ref.agent, ref.number
	} else {
		id := str("agent_id", "agentId")
		if id == "" {
			writeError(w, r, http.StatusBadRequest, "agentConfigurationVersionId is required")
			return
		}
		var ok bool
		if a, ok = h.agent(id); !ok {
			writeError(w, r, http.StatusNotFound, "Agent not found.")
			return
		}
	}
	input := map[string]any{}
	for _, k := range []string{"agentInput", "input_data", "inputData"} {
		if raw, ok := body[k]; ok {
			if json.Unmarshal(raw, &input) != nil || input == nil {
				writeError(w, r, http.StatusBadRequest, k+" must be an object")
				return
			}
			break
		}
	}
	summary := str("agentInputSummary", "agent_input_summary")
	switch {
	case summary == "" && spec != "":
		writeError(w, r, http.StatusBadRequest, "agentInputSummary is required (1 to 500 characters)")
		return
	case utf8.RuneCountInString(summary) > 500:
		writeError(w, r, http.StatusBadRequest, "agentInputSummary must be at most 500 characters")
		return
	case summary == "":
		summary = "Run of " + a.Name
		if m, ok := input["message"].(string); ok && strings.TrimSpace(m) != "" {
			summary = strings.TrimSpace(m)
		}
	}
	x, err := h.e.Execute(a.ID, sim.ExecuteRequest{Inputs: input, Version: number, Metadata: map[string]string{summaryKey: summary}})
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, h.agentExecution(h.load(x)))
}
