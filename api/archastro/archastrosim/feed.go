package archastrosim

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
	"github.com/agentop/agentop/api/sim"
)

// trajectory serves a session's AI and tool messages: the agent's
// reasoning and words, the tools it called and what they returned.
func (h *handler) trajectory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	eid := engineID(id, pTraj)
	x, err := h.e.Execution(eid)
	if eid == "" || err != nil || x.Status == api.StatusStarting {
		nested(w, http.StatusNotFound, "not_found", "trajectory "+id+" not found", nil)
		return
	}
	acts, _ := h.e.Activities(eid, api.ActivityQuery{})
	t := wire.Trajectory{ID: id, Messages: []wire.TrajectoryMessage{}, CreatedAt: wire.At(x.CreatedAt), UpdatedAt: wire.At(x.UpdatedAt)}
	for _, a := range acts {
		m := wire.TrajectoryMessage{ID: "tmsg_" + a.ID, CreatedAt: wire.At(a.Time)}
		switch a.Kind {
		case api.KindReasoning:
			m.Role, m.Content = "assistant", wire.Text(a.Reasoning)
		case api.KindGeneric:
			m.Role, m.Content = "assistant", wire.Text(a.Message)
		case api.KindActionStarted:
			m.Role, m.Content = "assistant", wire.Text(a.Message)
			if a.Action.Name != sim.ActionSendUserMessage {
				m.ToolCall = a.Action.Name // the agent's words to a person are a plain message
			}
		case api.KindActionCompleted, api.KindActionFailed:
			if a.Action.Name == sim.ActionSendUserMessage {
				continue
			}
			m.Role, m.Name, m.Content, m.Status = "tool", a.Action.Name, wire.Text(a.Message), "ok"
			if a.Kind == api.KindActionFailed {
				m.Status = "error"
			}
		default:
			continue
		}
		t.Messages = append(t.Messages, m)
	}
	writeJSON(w, http.StatusOK, t)
}

// feedEntry renders the engine activities that are platform events (status
// changes, steps, nodes, files, failures) as activity feed entries.
func feedEntry(x sim.Execution, a sim.Activity) (wire.FeedEntry, bool) {
	e := wire.FeedEntry{ID: pFeed + a.ID, Kind: "generic", Level: "info", Agent: wire.Ref(pAgent + x.AgentID),
		SessionRecord: wire.Ref(pSession + x.ID), CorrelationID: "cor_" + x.ID, CreatedAt: wire.At(a.Time), UpdatedAt: wire.At(a.Time)}
	if x.Trigger == sim.TriggerSchedule {
		e.RoutineRun = wire.Ref(pRun + x.ID)
	}
	switch a.Kind {
	case api.KindStatusChanged:
		word := sessionWord(a.Change.Status)
		e.Title, e.Content, e.Metadata = "Session "+word, a.Change.Reason, map[string]any{"status": word}
		switch word {
		case wire.SessionFailed:
			e.Level = "error"
		case wire.SessionWaiting:
			e.Level = "warn"
		}
	case api.KindStepStarted:
		e.Title, e.Level = fmt.Sprintf("Step %d started", a.Step), "debug"
	case api.KindStepCompleted:
		e.Title, e.Level = fmt.Sprintf("Step %d completed", a.Step), "debug"
	case api.KindTransitionedNode:
		e.Title = "Moved to " + a.Node.NodeName
	case api.KindFileAdded:
		e.Title = "File added: " + a.File.Name
	case api.KindWorkflowUpdated:
		e.Title = fmt.Sprintf("Workflow updated (%d changes)", len(a.Updates))
	case api.KindScriptGenerated:
		e.Title, e.Content = "Script generated for "+a.Script.NodeName, a.Script.Context
	case api.KindActionFailed:
		e.Title, e.Content, e.Level = "Action failed: "+a.Action.Name, a.Message, "error"
	default:
		return wire.FeedEntry{}, false
	}
	return e, true
}

// cursor is a position in a newest-first listing: a time and an id.
type cursor struct {
	at time.Time
	id string
}

func (c cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.at.UnixNano(), 10) + "|" + c.id))
}

func parseCursor(s string) (cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, false
	}
	ns, id, ok := strings.Cut(string(b), "|")
	n, err := strconv.ParseInt(ns, 10, 64)
	if !ok || err != nil {
		return cursor{}, false
	}
	return cursor{time.Unix(0, n), id}, true
}

// newer orders positions newest first (ties: the greater id first).
func (c cursor) cmp(o cursor) int {
	if d := o.at.Compare(c.at); d != 0 {
		return d
	}
	return cmp.Compare(o.id, c.id)
}

// page cuts a newest-first listing at before_cursor/after_cursor and
// limit, and answers {data, before_cursor, after_cursor, has_more}.
func page[T any](w http.ResponseWriter, r *http.Request, items []T, pos func(T) cursor, def int) {
	n, ok := limit(w, r, def)
	if !ok {
		return
	}
	q := r.URL.Query()
	lo, hi := 0, len(items)
	if s := q.Get("before_cursor"); s != "" {
		c, ok := parseCursor(s)
		if !ok {
			invalid(w, "before_cursor", "is not a cursor this listing gave")
			return
		}
		lo, _ = slices.BinarySearchFunc(items, c, func(it T, c cursor) int {
			if pos(it).cmp(c) <= 0 {
				return -1
			}
			return 1
		})
	}
	if s := q.Get("after_cursor"); s != "" {
		c, ok := parseCursor(s)
		if !ok {
			invalid(w, "after_cursor", "is not a cursor this listing gave")
			return
		}
		hi, _ = slices.BinarySearchFunc(items, c, func(it T, c cursor) int {
			if pos(it).cmp(c) < 0 {
				return -1
			}
			return 1
		})
		lo = max(lo, hi-n) // the nearest newer ones
	}
	end := min(hi, lo+n)
	out := items[lo:end:end]
	body := map[string]any{"data": out, "has_more": end < hi || (q.Get("after_cursor") != "" && lo > 0)}
	if len(out) > 0 {
		body["after_cursor"] = pos(out[0]).String()
		body["before_cursor"] = pos(out[len(out)-1]).String()
	}
	writeJSON(w, http.StatusOK, body)
}

// feed serves /activity_feed: kind[], level[], agent[], thread[],
// correlation_id, limit (default 50), before_cursor, after_cursor.
func (h *handler) feed(w http.ResponseWriter, r *http.Request) {
	kinds, levels, agents := arrayParam(r, "kind"), arrayParam(r, "level"), arrayParam(r, "agent")
	for name, vals := range map[string][]string{"kind": kinds, "level": levels} {
		allowed := map[string][]string{"kind": wire.FeedKinds, "level": wire.FeedLevels}[name]
		for _, v := range vals {
			if !slices.Contains(allowed, v) {
				invalid(w, name, "must be one of "+strings.Join(allowed, ", "))
				return
			}
		}
	}
	corr := r.URL.Query().Get("correlation_id")
	threads := arrayParam(r, "thread")
	var out []wire.FeedEntry
	keep := func(e wire.FeedEntry) {
		if (len(kinds) == 0 || slices.Contains(kinds, e.Kind)) && (len(levels) == 0 || slices.Contains(levels, e.Level)) &&
			(corr == "" || e.CorrelationID == corr) && len(threads) == 0 {
			out = append(out, e)
		}
	}
	for _, x := range h.allExecutions() {
		if len(agents) > 0 && !slices.Contains(agents, pAgent+x.AgentID) {
			continue
		}
		acts, _ := h.e.Activities(x.ID, api.ActivityQuery{})
		for _, a := range acts {
			if e, ok := feedEntry(x, a); ok {
				keep(e)
			}
		}
	}
	for _, run := range h.skipped {
		if len(agents) == 0 || slices.Contains(agents, string(run.Agent)) {
			keep(wire.FeedEntry{ID: pFeed + run.ID, Kind: "routine_run", Level: "warn", Title: "Routine run skipped",
				Content: run.Result["reason"].(string), Agent: run.Agent, RoutineRun: wire.Ref(run.ID), CreatedAt: run.CreatedAt, UpdatedAt: run.CreatedAt})
		}
	}
	pos := func(e wire.FeedEntry) cursor { return cursor{e.CreatedAt.Time, e.ID} }
	slices.SortFunc(out, func(a, b wire.FeedEntry) int { return pos(a).cmp(pos(b)) })
	page(w, r, out, pos, 50)
}

// runWord is a routine run's status: a run whose session waits is still
// running.
func runWord(s api.Status) string {
	switch s {
	case api.StatusStarting:
		return wire.SessionPending
	case api.StatusCompleted, api.StatusFailed, api.StatusCancelled:
		return string(s)
	}
	return wire.SessionRunning
}

// run renders a schedule-started execution as the routine run that
// started its session.
func run(x sim.Execution) wire.RoutineRun {
	out := wire.RoutineRun{ID: pRun + x.ID, Agent: wire.Ref(pAgent + x.AgentID), Routine: pRoutine + x.AgentID,
		Status: runWord(x.Status), Session: pSession + x.ID, Metadata: map[string]any{}, Payload: x.Inputs,
		CreatedAt: wire.At(x.CreatedAt), UpdatedAt: wire.At(x.UpdatedAt), Worker: &wire.Worker{Status: "executing"}}
	for k, v := range x.Metadata {
		out.Metadata[k] = v
	}
	switch x.Status {
	case api.StatusStarting:
		out.Worker.Status = "queued"
	case api.StatusCompleted:
		out.Worker.Status, out.DurationMS = "completed", x.Duration().Milliseconds()
		if x.Result != nil {
			out.Result = map[string]any{"outcome": x.Result.Outcome, "summary": x.Result.Reasoning}
		}
	case api.StatusFailed:
		out.Worker.Status, out.DurationMS = "discarded", x.Duration().Milliseconds()
		out.Result = map[string]any{"error": x.StatusReason}
	case api.StatusCancelled:
		out.Worker.Status, out.DurationMS = "cancelled", x.Duration().Milliseconds()
	}
	return out
}

func sortRuns(runs []wire.RoutineRun) {
	slices.SortFunc(runs, func(a, b wire.RoutineRun) int { return runPos(a).cmp(runPos(b)) })
}

func runPos(r wire.RoutineRun) cursor { return cursor{r.CreatedAt.Time, r.ID} }

// listRuns serves /agent_routine_runs: agent[] (ids or lookup keys),
// status (one), limit (default 50), before_cursor, after_cursor.
func (h *handler) listRuns(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	if status != "" && !slices.Contains(wire.RunStatuses, status) {
		invalid(w, "status", "must be one of "+strings.Join(wire.RunStatuses, ", "))
		return
	}
	agents := arrayParam(r, "agent")
	var out []wire.RoutineRun
	for _, x := range h.allExecutions() {
		if x.Trigger == sim.TriggerSchedule && (len(agents) == 0 || slices.Contains(agents, pAgent+x.AgentID) || slices.Contains(agents, lookupKey(x.AgentName))) {
			out = append(out, run(x))
		}
	}
	out = append(out, h.skipped...)
	out = slices.DeleteFunc(out, func(r wire.RoutineRun) bool {
		return (status != "" && r.Status != status) || (len(agents) > 0 && !slices.Contains(agents, string(r.Agent)) && r.Session == "")
	})
	sortRuns(out)
	page(w, r, out, runPos, 50)
}

// runByID finds a routine run, or answers 404.
func (h *handler) runByID(w http.ResponseWriter, id string) (wire.RoutineRun, []sim.Activity, bool) {
	for _, s := range h.skipped {
		if s.ID == id {
			return s, nil, true
		}
	}
	if eid := engineID(id, pRun); eid != "" {
		if x, err := h.e.Execution(eid); err == nil && x.Trigger == sim.TriggerSchedule {
			acts, _ := h.e.Activities(eid, api.ActivityQuery{})
			return run(x), acts, true
		}
	}
	nested(w, http.StatusNotFound, "not_found", "routine run "+id+" not found", nil)
	return wire.RoutineRun{}, nil, false
}

func (h *handler) getRun(w http.ResponseWriter, r *http.Request) {
	if run, _, ok := h.runByID(w, r.PathValue("id")); ok {
		writeJSON(w, http.StatusOK, run)
	}
}

// journal serves a run's durable records, oldest first: limit (default
// 50), after_cursor (a sequence number). A skipped run has none.
func (h *handler) journal(w http.ResponseWriter, r *http.Request) {
	run, acts, ok := h.runByID(w, r.PathValue("id"))
	if !ok {
		return
	}
	n, ok := limit(w, r, 50)
	if !ok {
		return
	}
	after := 0
	if s := r.URL.Query().Get("after_cursor"); s != "" {
		var err error
		if after, err = strconv.Atoi(s); err != nil || after < 0 {
			invalid(w, "after_cursor", "is not a cursor this listing gave")
			return
		}
	}
	if run.Session == "" {
		writeJSON(w, http.StatusOK, map[string]any{"data": []any{}, "journal": nil, "has_more": false})
		return
	}
	data := []wire.JournalEntry{}
	for i := after; i < len(acts) && len(data) < n; i++ {
		a := acts[i]
		rec := map[string]any{}
		switch {
		case a.Change != nil:
			rec["status"], rec["reason"] = runWord(a.Change.Status), a.Change.Reason
		case a.Reasoning != "":
			rec["text"] = a.Reasoning
		default:
			rec["message"] = a.Message
		}
		e := wire.JournalEntry{ID: pJournal + a.ID, Sequence: int64(i + 1), Type: string(a.Kind), CreatedAt: wire.At(a.Time)}
		if a.Node != nil {
			e.NodeID = a.Node.NodeID
		}
		e.Record, _ = json.Marshal(rec)
		data = append(data, e)
	}
	end := after + len(data)
	body := map[string]any{"data": data, "journal": map[string]any{"run": run.ID, "entries": len(acts)}, "has_more": end < len(acts)}
	if len(data) > 0 {
		body["after_cursor"] = strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, body)
}

// lookupKey is an agent's lookup key: its name in lower case with dashes.
func lookupKey(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
