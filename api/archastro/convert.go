package archastro

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
)

// sessionStatus maps a session's status word to the normalised status.
func sessionStatus(s string) api.Status {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case wire.SessionPending:
		return api.StatusStarting
	case wire.SessionRunning:
		return api.StatusRunning
	case wire.SessionWaiting:
		return api.StatusPausedByAgent
	case wire.SessionCompleted:
		return api.StatusCompleted
	case wire.SessionFailed, "error":
		return api.StatusFailed
	case wire.SessionCancelled, "canceled", wire.RunSkipped:
		return api.StatusCancelled
	}
	return api.Status(s) // kept verbatim: non-terminal
}

// platformWord is the platform's word where it differs from the status.
func platformWord(word string, s api.Status) string {
	if strings.EqualFold(word, string(s)) {
		return ""
	}
	return word
}

// sessionStatuses maps normalised statuses to session statuses; ok is
// false when statuses were asked for and none exists on sessions.
func sessionStatuses(in []api.Status) (out []string, ok bool) {
	for _, s := range in {
		switch s {
		case api.StatusStarting:
			out = append(out, wire.SessionPending)
		case api.StatusRunning:
			out = append(out, wire.SessionRunning)
		case api.StatusPausedByAgent:
			out = append(out, wire.SessionWaiting)
		case api.StatusCompleted, api.StatusFailed, api.StatusCancelled:
			out = append(out, string(s))
		}
	}
	return out, len(in) == 0 || len(out) > 0
}

// runStatuses maps normalised statuses to routine run statuses (cancelled
// covers skipped).
func runStatuses(in []api.Status) (out []string, ok bool) {
	for _, s := range in {
		switch s {
		case api.StatusStarting:
			out = append(out, wire.SessionPending)
		case api.StatusRunning:
			out = append(out, wire.SessionRunning)
		case api.StatusCompleted, api.StatusFailed:
			out = append(out, string(s))
		case api.StatusCancelled:
			out = append(out, wire.SessionCancelled, wire.RunSkipped)
		}
	}
	return out, len(in) == 0 || len(out) > 0
}

// stringMap flattens metadata values to strings (JSON for non-strings).
func stringMap(m map[string]any) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
			continue
		}
		b, _ := json.Marshal(v)
		out[k] = string(b)
	}
	return out
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

func jsonOf(m map[string]any) json.RawMessage {
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	return b
}

// toSession converts a session.
func toSession(s wire.Session, raw json.RawMessage, names map[string]string) api.Execution {
	st := sessionStatus(s.Status)
	x := api.Execution{
		ID: s.ID, AgentID: string(s.Agent), AgentName: names[string(s.Agent)], Kind: KindSession,
		Status: st, PlatformStatus: platformWord(s.Status, st), StatusReason: s.Error,
		Title:     firstLine(cmpOr(s.Name, s.Instructions)),
		CreatedAt: s.CreatedAt.Time, UpdatedAt: s.UpdatedAt.Time, TerminalAt: s.CompletedAt.Time,
		Metadata: stringMap(s.Metadata), Raw: raw,
	}
	if x.UpdatedAt.IsZero() {
		x.UpdatedAt = latest(s.CompletedAt.Time, s.StartedAt.Time, s.CreatedAt.Time)
	}
	if st.IsTerminal() && x.TerminalAt.IsZero() {
		x.TerminalAt = x.UpdatedAt
	}
	switch st {
	case api.StatusCompleted:
		x.Result = &api.Result{Outcome: "success", Data: jsonOf(s.Result), CreatedAt: x.TerminalAt}
	case api.StatusFailed:
		x.Result = &api.Result{Outcome: "failure", Reasoning: s.Error, Data: jsonOf(s.Result), CreatedAt: x.TerminalAt}
	}
	if s.Instructions != "" {
		x.Inputs, _ = json.Marshal(map[string]string{"instructions": s.Instructions})
	}
	return x
}

// toRun converts a routine run.
func toRun(r wire.RoutineRun, raw json.RawMessage, names map[string]string) api.Execution {
	st := sessionStatus(r.Status)
	x := api.Execution{
		ID: r.ID, AgentID: string(r.Agent), AgentName: names[string(r.Agent)], Kind: KindRoutineRun,
		Status: st, PlatformStatus: platformWord(r.Status, st),
		CreatedAt: r.CreatedAt.Time, UpdatedAt: latest(r.UpdatedAt.Time, r.CreatedAt.Time),
		Metadata: stringMap(r.Metadata), Raw: raw,
	}
	if r.Routine != "" {
		x.Title = "routine " + r.Routine
	}
	if reason, ok := r.Result["reason"].(string); ok {
		x.StatusReason = reason
	} else if msg, ok := r.Result["error"].(string); ok {
		x.StatusReason = msg
	}
	if r.DurationMS > 0 {
		x.Duration = msDuration(r.DurationMS)
	}
	if st.IsTerminal() {
		x.TerminalAt = x.UpdatedAt
		switch st {
		case api.StatusCompleted:
			x.Result = &api.Result{Outcome: "success", Data: jsonOf(r.Result), CreatedAt: x.TerminalAt}
		case api.StatusFailed:
			x.Result = &api.Result{Outcome: "failure", Reasoning: x.StatusReason, Data: jsonOf(r.Result), CreatedAt: x.TerminalAt}
		}
	}
	if len(r.Payload) > 0 {
		x.Inputs = jsonOf(r.Payload)
	}
	return x
}

// toAgent converts an agent.
func toAgent(a wire.Agent, raw json.RawMessage) api.Agent {
	return api.Agent{ID: a.ID, Name: cmpOr(a.Name, a.LookupKey), Description: a.Description, OrganizationID: a.Org,
		CreatedAt: a.CreatedAt.Time, Raw: raw}
}

func isRun(id string) bool { return strings.HasPrefix(strings.TrimSpace(id), "arr_") }

func kindOK(kind string) error {
	switch kind {
	case "", KindSession, KindRoutineRun:
		return nil
	}
	return &api.Error{Kind: api.KindInvalid, Op: "list executions", Message: fmt.Sprintf("unknown kind %q: archastro has %s and %s", kind, KindSession, KindRoutineRun)}
}
