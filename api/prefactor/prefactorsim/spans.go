package prefactorsim

import (
	"fmt"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
)

// spansOf plays an engine execution's feed as a span tree: one "agent"
// span for the run; a "chain" span per step under it; "llm" (reasoning),
// "tool" (actions, some failing) and "hitl:human-approval" (a wait for a
// person) spans under the current step. A span is active until its end
// arrives, then complete, failed or cancelled.
func (h *handler) spansOf(x sim.Execution) []spanOut {
	acts, err := h.e.Activities(x.ID, api.ActivityQuery{Order: api.SortAsc})
	if err != nil {
		return nil
	}
	inst := instanceID(x.CreatedAt, x.ID)
	b := &treeBuilder{inst: inst, agent: x.AgentID, account: h.accountID, open: map[string]int{}}
	root := b.add('a', x.ID, "agent", "Agent run", "", x.CreatedAt, map[string]any{
		"name": x.AgentName, "inputs": x.Inputs, "metadata": map[string]any{"trigger": x.Trigger},
	})
	b.root = root
	for _, a := range acts {
		b.play(a)
	}
	// The run's end closes what is still open.
	end := h.statusWord(x)
	if x.Status.IsTerminal() {
		closing := map[string]string{"complete": "complete", "failed": "failed"}[end]
		if closing == "" {
			closing = "cancelled"
		}
		for _, i := range b.openIndexes() {
			b.close(i, closing, x.TerminalAt, nil)
		}
		s := &b.spans[root]
		if x.Result != nil {
			s.ResultPayload = map[string]any{"outcome": x.Result.Outcome, "reasoning": x.Result.Reasoning}
			s.Payload["outputs"] = map[string]any{"outcome": x.Result.Outcome}
		}
		if end == "failed" || end == "terminated" {
			s.Payload["error"] = map[string]any{"error_type": end, "message": x.StatusReason}
		}
	}
	return b.spans
}

type treeBuilder struct {
	inst, agent, account string
	spans                []spanOut
	root                 int
	step                 int            // index of the open step span, -1 none
	open                 map[string]int // key → index of an open span
	approval             int            // index of the open approval span, 0 none
	said                 string         // the agent's latest message to a person
}

func (b *treeBuilder) add(kind byte, key, schema, title, parent string, at time.Time, payload map[string]any) int {
	s := spanOut{Type: "agent_span", ID: spanID(at, kind, b.inst+"/"+key), AccountID: b.account, AgentID: b.agent,
		AgentInstanceID: b.inst, ParentSpanID: strPtr(parent), SchemaName: schema, SchemaTitle: title, Status: "active",
		Payload: payload, StartedAt: stamp(at), InsertedAt: stamp(at), UpdatedAt: stamp(at)}
	b.spans = append(b.spans, s)
	i := len(b.spans) - 1
	b.open[key] = i
	return i
}

func (b *treeBuilder) close(i int, status string, at time.Time, result any) {
	s := &b.spans[i]
	if s.Status != "active" {
		return
	}
	s.Status, s.FinishedAt, s.UpdatedAt = status, stampPtr(at), stamp(at)
	if result != nil {
		s.ResultPayload = result
	}
	for k, j := range b.open {
		if j == i {
			delete(b.open, k)
		}
	}
}

func (b *treeBuilder) openIndexes() []int {
	var out []int
	for i := len(b.spans) - 1; i >= 0; i-- {
		if b.spans[i].Status == "active" {
			out = append(out, i)
		}
	}
	return out
}

// parent is the open step, else the run.
func (b *treeBuilder) parent() string {
	if i, ok := b.open["step"]; ok {
		return b.spans[i].ID
	}
	return b.spans[b.root].ID
}

func summary(s string) *string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:119]) + "…"
	}
	return strPtr(s)
}

func (b *treeBuilder) play(a sim.Activity) {
	switch a.Kind {
	case api.KindStepStarted:
		if i, ok := b.open["step"]; ok {
			b.close(i, "complete", a.Time, nil)
		}
		i := b.add('s', fmt.Sprintf("step/%d", a.Step), "chain", "Step", b.spans[b.root].ID, a.Time,
			map[string]any{"name": fmt.Sprintf("step %d", a.Step), "inputs": map[string]any{"step": a.Step}})
		b.open["step"] = i
	case api.KindStepCompleted:
		if i, ok := b.open["step"]; ok {
			b.close(i, "complete", a.Time, map[string]any{"step": a.Step})
		}
	case api.KindReasoning:
		words := len(strings.Fields(a.Reasoning))
		i := b.add('l', a.ID, "llm", "LLM call", b.parent(), a.Time, map[string]any{
			"name":        "claude-sonnet",
			"inputs":      map[string]any{"prompt": "Decide the next step.", "customer": map[string]any{"$sensitive": true, "labels": []string{"pii"}, "value": "jane.doe@example.com"}},
			"outputs":     map[string]any{"text": a.Reasoning},
			"token_usage": map[string]any{"prompt_tokens": 400 + 3*words, "completion_tokens": 2 * words, "total_tokens": 400 + 5*words},
		})
		b.spans[i].Summary = summary(a.Reasoning)
		b.close(i, "complete", a.Time.Add(800*time.Millisecond+time.Duration(words)*20*time.Millisecond), map[string]any{"text": a.Reasoning})
	case api.KindActionStarted:
		if a.Action == nil {
			return
		}
		if strings.Contains(a.Action.Name, "send_user_message") && strings.TrimSpace(a.Message) != "" {
			b.said = a.Message
		}
		i := b.add('t', "action/"+a.Action.ID, "tool", "Tool call", b.parent(), a.Time, map[string]any{
			"name": a.Action.Name, "inputs": cloneDetail(a.Action.Detail),
		})
		b.spans[i].Summary = summary(cmpStr(a.Message, a.Action.Name))
	case api.KindActionCompleted, api.KindActionFailed:
		if a.Action == nil {
			return
		}
		i, ok := b.open["action/"+a.Action.ID]
		if !ok {
			return
		}
		if a.Kind == api.KindActionFailed {
			b.spans[i].Payload["error"] = map[string]any{"error_type": "ToolError", "message": cmpStr(a.Message, a.Action.Name+" failed")}
			b.close(i, "failed", a.Time, map[string]any{"ok": false})
			return
		}
		b.spans[i].Payload["outputs"] = map[string]any{"ok": true, "message": a.Message}
		b.close(i, "complete", a.Time, map[string]any{"ok": true})
	case api.KindStatusChanged:
		if a.Change == nil {
			return
		}
		switch a.Change.Status {
		case api.StatusPausedByAgent, api.StatusAwaitingConfirmation:
			if b.approval != 0 {
				return
			}
			q := cmpStr(b.said, cmpStr(a.Change.Reason, "Approve the agent's next step?"))
			b.said = ""
			i := b.add('h', a.ID, "hitl:human-approval", "Human approval", b.parent(), a.Time, map[string]any{
				"name": "approval", "inputs": map[string]any{"question": q, "channel": "#agent-approvals (Slack)"},
			})
			b.spans[i].Summary = summary(q)
			b.approval = i
		case api.StatusRunning:
			if b.approval != 0 {
				b.close(b.approval, "complete", a.Time, map[string]any{"decision": "approved", "via": "slack"})
				b.spans[b.approval].Payload["inputs"].(map[string]any)["decision"] = "approved"
				b.approval = 0
			}
		}
	case api.KindUserMessage:
		if b.approval != 0 {
			b.spans[b.approval].Payload["outputs"] = map[string]any{"reply": a.Message}
		}
	}
}

func cloneDetail(d map[string]any) map[string]any {
	out := make(map[string]any, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}

func cmpStr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
