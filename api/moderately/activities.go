package moderately

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/internal/rest"
)

// stepKinds maps a live-tail step type to an activity kind and the word
// that opens its line.
var stepKinds = map[string]struct {
	kind  api.ActivityKind
	label string
}{
	"task":         {api.KindGeneric, "Task"},
	"thought":      {api.KindReasoning, ""},
	"code":         {api.KindActionStarted, "Code"},
	"observation":  {api.KindActionCompleted, "Observation"},
	"plan":         {api.KindReasoning, "Plan"},
	"fact":         {api.KindReasoning, "Facts"},
	"facts":        {api.KindReasoning, "Facts"},
	"system":       {api.KindGeneric, "System"},
	"final_answer": {api.KindTerminal, "Final answer"},
	// the spec's own example shape
	"planning":  {api.KindReasoning, "Plan"},
	"tool_call": {api.KindActionStarted, "Tool call"},
}

// Activities returns an execution's feed. For an agent execution: its
// live-tail steps (either casing of every key), its thoughts[] (a thought
// that is also a step is shown once) and its end; for a pipeline
// execution, its progress and end. Steps carry no ids, so each gets one
// from what it is (execution, type, start and content): the same step has
// the same id on every read and is never shown twice.
func (c *Client) Activities(ctx context.Context, id string, q api.ActivityQuery) ([]api.Activity, error) {
	if q.Order != "" && q.Order != api.SortAsc && q.Order != api.SortDesc {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "list activities", Message: "order must be asc or desc"}
	}
	e, err := c.GetExecution(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []api.Activity
	if e.Kind == KindPipeline {
		out = pipelineFeed(e)
	} else {
		var tail liveTail
		err := c.rc.Do(ctx, rest.Call{Method: http.MethodGet, Path: "/agent-executions/{id}/live-tail", Args: []string{e.ID}}, &tail)
		if err != nil && !errors.Is(err, api.ErrNotFound) {
			return nil, err
		}
		out = c.agentFeed(e, tail.Steps)
	}
	slices.SortStableFunc(out, func(a, b api.Activity) int { return a.Time.Compare(b.Time) })
	if q.Order == api.SortDesc {
		slices.Reverse(out)
	}
	if q.Limit > 0 && q.Limit < len(out) {
		out = out[:q.Limit]
	}
	return out, nil
}

// ids gives feed entries stable ids: a hash of what they are, numbered
// when the same thing occurs twice.
type ids struct {
	exec string
	seen map[string]int
}

func (s *ids) of(parts ...string) string { return s.number(s.hash(parts...)) }

// hash is what an entry is, as a short hex key.
func (s *ids) hash(parts ...string) string {
	h := sha256.New()
	h.Write([]byte(s.exec))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:10])
}

// number is the id of the next entry with key: numbered from its second.
func (s *ids) number(key string) string {
	n := s.seen[key]
	s.seen[key] = n + 1
	if n > 0 {
		key += "." + strconv.Itoa(n)
	}
	return s.exec + "#" + key
}

// parsed is a step as read on an earlier poll: its bytes, its activity
// (zero Kind: unreadable) and the key its id is numbered from.
type parsed struct {
	raw []byte
	act api.Activity
	key string
}

// maxCached bounds how many executions' steps are remembered.
const maxCached = 16

// cachedSteps returns the steps last read of an execution.
func (c *Client) cachedSteps(id string) []parsed {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.steps[id]
}

// cacheSteps remembers an execution's steps (forgetting the others when
// too many are remembered).
func (c *Client) cacheSteps(id string, p []parsed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.steps[id]; !ok && len(c.steps) >= maxCached {
		clear(c.steps)
	}
	c.steps[id] = p
}

// agentFeed builds an agent execution's feed. A step whose bytes are those
// it had on the last poll is not parsed again (the whole list comes on
// every poll, and steps, once written, rarely change).
func (c *Client) agentFeed(e api.Execution, steps []json.RawMessage) []api.Activity {
	idg := &ids{exec: e.ID, seen: map[string]int{}}
	var out []api.Activity
	shown := map[string]bool{} // thought texts the steps already carry
	at := e.CreatedAt
	before := c.cachedSteps(e.ID)
	now := make([]parsed, len(steps))
	for i, raw := range steps {
		var a api.Activity
		if i < len(before) && bytes.Equal(before[i].raw, raw) {
			now[i] = before[i]
			if now[i].key == "" {
				continue
			}
			a = before[i].act
			a.ID = idg.number(before[i].key)
		} else {
			var key string
			var ok bool
			if a, key, ok = stepActivity(idg, e.ID, raw, at); !ok {
				now[i] = parsed{raw: raw}
				continue
			}
			if i == 0 && a.Time.IsZero() {
				a.Time = at
			}
			now[i] = parsed{raw: raw, act: a, key: key}
		}
		at = a.Time
		if a.Kind == api.KindReasoning && a.ActionName == "thought" {
			shown[strings.TrimSpace(a.Message)] = true
		}
		out = append(out, a)
	}
	var w agentExecution
	_ = json.Unmarshal(e.Raw, &w)
	for _, t := range w.Thoughts {
		text := strings.TrimSpace(string(t.Text))
		if text == "" || shown[text] {
			continue
		}
		out = append(out, api.Activity{ID: idg.of("thought", t.CreatedAt.Format(time.RFC3339Nano), text), ExecutionID: e.ID,
			Time: cmp.Or(t.CreatedAt.Time, e.CreatedAt), Kind: api.KindReasoning, Text: oneLine(text), Message: text,
			Actor: api.ActorAgent, ActionName: "thought"})
	}
	c.cacheSteps(e.ID, now)
	return append(out, statusFeed(idg, e)...)
}

// wireStep is a live-tail step in either casing (the spec allows both),
// or the spec example's {type, content, tool, output, timestamp}: one
// decode per step.
type wireStep struct {
	StepType     string          `json:"stepType"`
	StepTypeS    string          `json:"step_type"`
	Type         string          `json:"type"`
	StartedAt    flexTime        `json:"startedAt"`
	StartedAtS   flexTime        `json:"started_at"`
	EndedAt      flexTime        `json:"endedAt"`
	EndedAtS     flexTime        `json:"ended_at"`
	Timestamp    flexTime        `json:"timestamp"`
	Summary      flexText        `json:"summary"`
	Tool         flexText        `json:"tool"`
	Task         json.RawMessage `json:"task"`
	Thought      json.RawMessage `json:"thought"`
	Code         json.RawMessage `json:"code"`
	Observation  json.RawMessage `json:"observation"`
	Plan         json.RawMessage `json:"plan"`
	Facts        json.RawMessage `json:"facts"`
	Fact         json.RawMessage `json:"fact"`
	System       json.RawMessage `json:"system"`
	FinalAnswer  json.RawMessage `json:"finalAnswer"`
	FinalAnswerS json.RawMessage `json:"final_answer"`
	Content      json.RawMessage `json:"content"`
	Output       json.RawMessage `json:"output"`
}

// payload is the key named after the step's type, else the example
// shape's content or output.
func (w *wireStep) payload(typ string) string {
	var keys []json.RawMessage
	switch typ {
	case "task":
		keys = []json.RawMessage{w.Task}
	case "thought":
		keys = []json.RawMessage{w.Thought}
	case "code":
		keys = []json.RawMessage{w.Code}
	case "observation":
		keys = []json.RawMessage{w.Observation}
	case "plan":
		keys = []json.RawMessage{w.Plan}
	case "fact", "facts":
		keys = []json.RawMessage{w.Facts, w.Fact}
	case "system":
		keys = []json.RawMessage{w.System}
	case "final_answer":
		keys = []json.RawMessage{w.FinalAnswer, w.FinalAnswerS}
	}
	for _, raw := range append(keys, w.Content, w.Output) {
		if s := valueText(raw); s != "" {
			return s
		}
	}
	return string(w.Tool)
}

// stepActivity reads one live-tail step, and returns the key its id is
// numbered from.
func stepActivity(idg *ids, exec string, raw json.RawMessage, prev time.Time) (api.Activity, string, bool) {
	var w wireStep
	if json.Unmarshal(raw, &w) != nil {
		return api.Activity{}, "", false
	}
	typ := strings.ToLower(strings.TrimSpace(cmp.Or(w.StepType, w.StepTypeS, w.Type)))
	if typ == "" {
		return api.Activity{}, "", false
	}
	started := cmp.Or(w.StartedAt.Time, w.StartedAtS.Time, w.Timestamp.Time, w.EndedAt.Time, w.EndedAtS.Time)
	payload := w.payload(typ)
	summary := strings.TrimSpace(string(w.Summary))
	body := cmp.Or(payload, summary)
	k, known := stepKinds[typ]
	if !known {
		k.kind, k.label = api.ActivityKind(typ), ""
	}
	line := oneLine(cmp.Or(summary, payload))
	if tool := strings.TrimSpace(string(w.Tool)); typ == "tool_call" && tool != "" {
		line = tool // the example shape: {"type":"tool_call","tool","input","output"}
		body = valueText(w.Output)
	}
	if k.label != "" {
		line = k.label + ": " + line
	}
	key := idg.hash(typ, started.Format(time.RFC3339Nano), body)
	a := api.Activity{
		ID:          idg.number(key),
		ExecutionID: exec, Time: started, Kind: k.kind, Text: strings.TrimSuffix(line, ": "), Message: body,
		Actor: api.ActorAgent, ActionName: typ, Raw: raw,
	}
	if typ == "system" {
		a.Actor = api.ActorSystem
	}
	if a.Time.IsZero() {
		a.Time = prev
	}
	return a, key, true
}

// valueText renders a payload: a string as it is, a list line by line, an
// object by its text-like field, else compact JSON.
func valueText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		var parts []string
		for _, x := range list {
			if t := valueText(x); t != "" {
				parts = append(parts, t)
			}
		}
		return strings.Join(parts, "\n")
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for _, k := range []string{"text", "content", "output", "message", "code", "observation", "plan", "task", "thought", "answer", "result"} {
			if v, ok := obj[k]; ok {
				if t := valueText(v); t != "" {
					return t
				}
			}
		}
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(raw)
}

// statusFeed is the status line of a paused or ended execution.
func statusFeed(idg *ids, e api.Execution) []api.Activity {
	at := e.TerminalAt
	switch {
	case e.Status.IsTerminal():
	case e.Status == api.StatusPaused:
		var w struct {
			PausedAt flexTime `json:"pausedAt"`
		}
		_ = json.Unmarshal(e.Raw, &w)
		at = cmp.Or(w.PausedAt.Time, e.UpdatedAt)
	default:
		return nil
	}
	line := "Execution " + e.StatusWord()
	if e.StatusReason != "" {
		line += ": " + oneLine(e.StatusReason)
	}
	return []api.Activity{{ID: idg.of("status", string(e.Status), at.Format(time.RFC3339Nano)), ExecutionID: e.ID,
		Time: at, Kind: api.KindStatusChanged, Text: line, Actor: api.ActorSystem, Status: e.Status, Reason: e.StatusReason}}
}

// pipelineFeed is a pipeline execution's progress: its start, each step
// it reports reaching, and its end.
func pipelineFeed(e api.Execution) []api.Activity {
	idg := &ids{exec: e.ID, seen: map[string]int{}}
	var w pipelineExecution
	_ = json.Unmarshal(e.Raw, &w)
	var out []api.Activity
	if !w.StartedAt.IsZero() {
		out = append(out, api.Activity{ID: idg.of("started"), ExecutionID: e.ID, Time: w.StartedAt.Time,
			Kind: api.KindStatusChanged, Status: api.StatusRunning, Text: "Pipeline started", Actor: api.ActorSystem})
	}
	if w.CurrentStep > 0 {
		at := cmp.Or(e.UpdatedAt, w.StartedAt.Time, e.CreatedAt)
		line := "Step " + strconv.Itoa(int(w.CurrentStep))
		if w.TotalSteps > 0 {
			line += " of " + strconv.Itoa(int(w.TotalSteps))
		}
		out = append(out, api.Activity{ID: idg.of("step", strconv.Itoa(int(w.CurrentStep))), ExecutionID: e.ID, Time: at,
			Kind: api.KindStepStarted, Text: line, Actor: api.ActorSystem})
	}
	return append(out, statusFeed(idg, e)...)
}

// oneLine collapses whitespace, newlines included.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
