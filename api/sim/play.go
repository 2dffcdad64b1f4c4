package sim

import (
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"time"

	"github.com/agentop/agentop/api"
)

// run is an execution and the scenario it plays.
type run struct {
	x        Execution
	agent    *agentState
	moves    []move
	flood    time.Duration // > 0: after its moves, one activity every flood, without end
	cursor   int           // the next move
	vars     vars
	acts     []Activity
	lastNode time.Time // when the agent last changed workflow node

	next    *event        // the next move, while the scenario plays
	left    time.Duration // the delay the next move still had when an operator paused
	timeout *event        // the end of a wait for a person
	reply   *event        // a simulated person's pending reply
	answers []string      // what a simulated person may reply to the current question
	auto    bool          // a simulated person answers this execution's questions
	keep    bool          // the busy scenario replaces it when it ends
}

// moveAt returns the i-th move of the scenario.
func (r *run) moveAt(rng *mrand.Rand, i int) (move, bool) {
	if i < len(r.moves) {
		return r.moves[i], true
	}
	if r.flood > 0 {
		return floodMove(rng, i-len(r.moves), r.flood), true
	}
	return move{}, false
}

// scheduleNext plans the next move, its delay counted from t.
func (e *Engine) scheduleNext(r *run, t time.Time) {
	switch {
	case r.cursor < len(r.moves):
		e.scheduleIn(r, t, e.scaled(r.moves[r.cursor].after))
	case r.flood > 0:
		e.scheduleIn(r, t, e.scaled(r.flood))
	}
}

func (e *Engine) scheduleIn(r *run, t time.Time, d time.Duration) {
	r.next = e.at(t.Add(d), func() { e.play(r) })
}

// play performs the run's next move and plans the one after.
func (e *Engine) play(r *run) {
	r.next = nil
	m, ok := r.moveAt(e.rng, r.cursor)
	if !ok {
		return
	}
	r.cursor++
	a := r.vars.activity(m.act)
	switch a.Kind {
	case api.KindStatusChanged:
		if m.result != nil {
			a.Change.Result = e.result(r, *m.result)
			a.Change.LessonsLearned = r.vars.expand(m.result.lessons)
		}
		if !e.setStatus(r, *a.Change) {
			return
		}
		if m.waits {
			e.startWait(r, m.answers)
			return
		}
		if a.Change.Status.IsTerminal() {
			return
		}
	case api.KindTransitionedNode:
		a.Node.FromDuration = e.now.Sub(r.lastNode)
		r.lastNode = e.now
		e.record(r, a)
	case api.KindFileAdded:
		f := e.newFile(r, *a.File)
		a.File = &f
		e.record(r, a)
	default:
		e.record(r, a)
	}
	e.scheduleNext(r, e.now)
}

// activity expands a move's template with the run's current values.
func (v vars) activity(t Activity) Activity {
	a := t
	a.Message, a.Reasoning = v.expand(t.Message), v.expand(t.Reasoning)
	if t.Action != nil {
		x := *t.Action
		if t.Action.Detail != nil {
			x.Detail = v.expandAny(t.Action.Detail).(map[string]any)
		}
		a.Action = &x
	}
	if t.Change != nil {
		x := *t.Change
		x.Reason = v.expand(t.Change.Reason)
		a.Change = &x
	}
	if t.Node != nil {
		x := *t.Node
		a.Node = &x
	}
	if t.File != nil {
		x := *t.File
		x.Name = v.expand(t.File.Name)
		a.File = &x
	}
	return a
}

// result builds the Result of a terminal status change.
func (e *Engine) result(r *run, spec resultSpec) *Result {
	data, err := json.Marshal(r.vars.expandAny(spec.data))
	if err != nil {
		data = []byte("null")
	}
	return &Result{ID: e.id(), Outcome: spec.outcome, Reasoning: r.vars.expand(spec.reasoning), Data: data, CreatedAt: e.now}
}

// record appends an activity to the run's feed. Past the cap the oldest
// are dropped, a quarter of the cap at a time so a flood stays cheap;
// feed never shows more than the cap.
func (e *Engine) record(r *run, a Activity) {
	a.ID, a.ExecutionID, a.Time = e.id(), r.x.ID, e.now
	r.acts = append(r.acts, a)
	if limit := e.cfg.MaxActivities; len(r.acts) > limit+limit/4 {
		r.acts = slices.Delete(r.acts, 0, len(r.acts)-limit)
	}
	if e.observer != nil {
		e.observer(r.x.clone(), a)
	}
}

// feed returns the retained activities, oldest first.
func (e *Engine) feed(r *run) []Activity {
	return r.acts[max(0, len(r.acts)-e.cfg.MaxActivities):]
}

// setStatus moves the run to a new status and records the status_changed
// activity. It refuses (false) what the state machine forbids.
func (e *Engine) setStatus(r *run, ch StatusChange) bool {
	from := r.x.Status
	if !CanTransition(from, ch.Status) && !(ch.Status == api.StatusFailed && canTimeOut(from)) {
		return false
	}
	x := &r.x
	x.Status, x.StatusReason, x.UpdatedAt = ch.Status, ch.Reason, e.now
	if ch.Status == api.StatusRunning && x.LiveViewURL == "" {
		x.LiveViewURL = fmt.Sprintf("https://live.sim.agentop.example/sessions/%s?token=%s", x.ID, hexToken(e.rng, 32))
		r.lastNode = e.now
	}
	ch.From = from
	e.record(r, Activity{Kind: api.KindStatusChanged, Change: &ch})
	if ch.Status.IsTerminal() {
		e.end(r, ch)
	}
	return true
}

// end settles a run that reached a terminal status.
func (e *Engine) end(r *run, ch StatusChange) {
	for _, ev := range []*event{r.next, r.timeout, r.reply} {
		ev.cancel()
	}
	r.next, r.timeout, r.reply, r.moves = nil, nil, nil, nil
	x := &r.x
	x.TerminalAt, x.Result = e.now, ch.Result
	if x.LiveViewURL != "" {
		x.LiveViewURL = ""
		x.RecordingURL = fmt.Sprintf("https://recordings.sim.agentop.example/%s/session.mp4?X-Amz-Expires=604800&X-Amz-Signature=%s",
			x.ID, hexToken(e.rng, 64))
	}
	e.annotate(r)
	e.ended = append(e.ended, r)
	if over := len(e.ended) - e.cfg.MaxTerminal; over > 0 {
		for _, old := range e.ended[:over] {
			delete(e.runs, old.x.ID)
		}
		e.ended = slices.Delete(e.ended, 0, over)
		e.order = slices.DeleteFunc(e.order, func(o *run) bool { _, ok := e.runs[o.x.ID]; return !ok })
	}
	if r.keep {
		e.startBusy(e.now)
	}
}

// startWait leaves the agent waiting for a person: until a reply (or an
// approval), a cancel, or the timeout.
func (e *Engine) startWait(r *run, answers []string) {
	r.answers = answers
	status := r.x.Status
	r.timeout = e.at(e.now.Add(e.cfg.HumanTimeout), func() {
		r.timeout = nil
		reason := fmt.Sprintf("No reply from the user within %s; the agent stopped waiting", e.cfg.HumanTimeout)
		if status == api.StatusAwaitingConfirmation {
			reason = fmt.Sprintf("Nobody confirmed within %s: %s", e.cfg.HumanTimeout, r.x.StatusReason)
		}
		e.setStatus(r, StatusChange{Status: api.StatusFailed, Reason: reason,
			Result: &Result{ID: e.id(), Outcome: "failure", Reasoning: reason, Data: json.RawMessage("null"), CreatedAt: e.now}})
	})
	if !r.auto && !e.cfg.AutoAnswer {
		return
	}
	r.reply = e.at(e.now.Add(e.scaled(between(e.rng, 4000, 90000))), func() {
		r.reply = nil
		if status == api.StatusAwaitingConfirmation {
			e.proceed(r)
			return
		}
		e.answer(r, r.vars.expand(pick(e.rng, r.answers...)))
	})
}

// answer records a person's message; an agent waiting for one takes it as
// the answer and carries on.
func (e *Engine) answer(r *run, message string) {
	e.record(r, Activity{Kind: api.KindUserMessage, Message: message, UserID: e.user.ID})
	if r.x.Status == api.StatusPausedByAgent {
		r.vars["answer"] = message
		e.proceed(r)
	}
}

// proceed ends a wait and resumes the scenario.
func (e *Engine) proceed(r *run) {
	r.timeout.cancel()
	r.reply.cancel()
	r.timeout, r.reply, r.answers = nil, nil, nil
	if e.setStatus(r, StatusChange{Status: api.StatusRunning}) {
		e.scheduleNext(r, e.now)
	}
}

// newFile completes a file the agent produced and attaches it.
func (e *Engine) newFile(r *run, f File) File {
	f.ID, f.ExecutionID, f.AgentID, f.CreatedAt = e.id(), r.x.ID, r.x.AgentID, e.now
	if f.Directory == "" {
		f.Directory = "downloads"
	}
	f.Path = "/home/agent/" + f.Directory + "/" + f.Name
	f.URL = fmt.Sprintf("https://files.sim.agentop.example/executions/%s/%s/%s?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=%s",
		r.x.ID, f.Directory, f.Name, hexToken(e.rng, 64))
	r.x.Files = append(r.x.Files, f)
	return f
}
