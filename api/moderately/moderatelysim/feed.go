package moderatelysim

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
)

// step is one live-tail step: its type, the payload under the key named
// after the type, and an optional summary.
type step struct {
	typ, key string
	payload  any
	summary  string
}

// stepOf renders an engine activity as a step; false for what the platform
// does not show as a step (a step's completion).
func stepOf(a sim.Activity) (step, bool) {
	switch a.Kind {
	case api.KindReasoning:
		return step{typ: "thought", payload: a.Reasoning}, true
	case api.KindStepStarted:
		return step{typ: "task", payload: fmt.Sprintf("Step %d", a.Step)}, true
	case api.KindTransitionedNode:
		if a.Node != nil {
			return step{typ: "plan", payload: "Next: " + a.Node.NodeName, summary: "Moving to " + a.Node.NodeName}, true
		}
	case api.KindActionStarted:
		code := a.Message
		if a.Action != nil {
			code = fmt.Sprintf("%s()  # %s", a.Action.Name, a.Message)
		}
		return step{typ: "code", payload: code}, true
	case api.KindActionCompleted:
		return step{typ: "observation", payload: a.Message}, true
	case api.KindActionFailed:
		return step{typ: "observation", payload: "Error: " + a.Message, summary: "Action failed"}, true
	case api.KindUserMessage:
		return step{typ: "fact", key: "facts", payload: []string{"Guidance received: " + a.Message}}, true
	case api.KindFileAdded:
		if a.File != nil {
			return step{typ: "fact", key: "facts", payload: []string{"File available: " + a.File.Name}}, true
		}
	case api.KindWorkflowUpdated:
		return step{typ: "plan", payload: fmt.Sprintf("Revised the plan (%d change(s))", len(a.Updates))}, true
	case api.KindScriptGenerated:
		if a.Script != nil {
			return step{typ: "code", payload: a.Script.Script, summary: "Generated a script for " + a.Script.NodeName}, true
		}
	case api.KindStatusChanged:
		if a.Change == nil {
			return step{}, false
		}
		switch a.Change.Status {
		case api.StatusCompleted:
			out := map[string]any{"type": "final_answer", "output": ""}
			if r := a.Change.Result; r != nil {
				out["output"] = r.Reasoning
			}
			return step{typ: "final_answer", payload: out}, true
		case api.StatusStarting, api.StatusRunning:
			return step{typ: "system", payload: "Execution " + wireStatus(a.Change.Status)}, true
		case api.StatusFailed, api.StatusCancelled:
			return step{}, false // the execution's own status says so
		default:
			text := "Execution " + wireStatus(a.Change.Status)
			if a.Change.Reason != "" {
				text += ": " + a.Change.Reason
			}
			return step{typ: "system", payload: text}, true
		}
	case api.KindGeneric:
		return step{typ: "system", payload: a.Message}, true
	}
	return step{}, false
}

// encode writes a step in one casing.
func (s step) encode(snake bool, a sim.Activity) map[string]any {
	key := s.key
	if key == "" {
		key = s.typ
	}
	typeKey, startKey, endKey := "stepType", "startedAt", "endedAt"
	if snake {
		typeKey, startKey, endKey = "step_type", "started_at", "ended_at"
	} else if key == "final_answer" {
		key = "finalAnswer"
	}
	m := map[string]any{typeKey: s.typ, key: s.payload, startKey: ts(a.Time), endKey: ts(a.Time)}
	if a.Action != nil && a.Action.Duration > 0 {
		m[startKey] = ts(a.Time.Add(-a.Action.Duration))
	}
	if s.summary != "" {
		m["summary"] = s.summary
	}
	return m
}

// liveTail serves GET /agent-executions/{id}/live-tail: every step so far.
func (h *handler) liveTail(w http.ResponseWriter, r *http.Request) {
	x, ok := h.execution(w, r, false)
	if !ok {
		return
	}
	run := h.load(x)
	steps := []map[string]any{}
	for _, a := range run.acts {
		s, ok := stepOf(a)
		if !ok {
			continue
		}
		snake := h.casing == CasingSnake || (h.casing == CasingMixed && len(steps)%2 == 1)
		steps = append(steps, s.encode(snake, a))
	}
	var memory any
	if len(steps) > 0 {
		memory = map[string]any{"agentExecutionMemoryStateId": "aems_" + strings.ReplaceAll(x.ID, "-", "")[:20],
			"agentExecutionId": x.ID, "state": map[string]any{"steps": steps}, "version": len(steps),
			"createdAt": ts(x.CreatedAt), "updatedAt": ts(x.UpdatedAt)}
	}
	completed, _, _ := ended(x)
	writeJSON(w, http.StatusOK, map[string]any{
		"execution": map[string]any{"agentExecutionId": x.ID, "status": wireStatus(x.Status), "currentStep": len(steps),
			"createdAt": ts(x.CreatedAt), "updatedAt": ts(x.UpdatedAt), "startedAt": ts(run.started), "completedAt": completed},
		"latestMemoryState": memory, "steps": steps, "totalVersions": len(steps),
	})
}
