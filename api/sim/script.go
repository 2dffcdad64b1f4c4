package sim

import (
	"math/rand/v2"
	"time"

	"github.com/agentop/agentop/api"
)

// A scenario is compiled, when its execution is created, into a list of
// moves; the engine then plays one move per event. Text in a move may hold
// {name} placeholders, filled in when the move is played, so an answer a
// human gives half-way through shows up in everything said after it.

// move is one beat of a scenario: after a pause, one activity.
type move struct {
	after  time.Duration // pause before it, at speed 1
	act    Activity      // template: Kind and fields; strings may hold {vars}
	result *resultSpec   // for a terminal status change
	// waits is set on the status change that leaves the agent waiting for a
	// person (paused_by_agent, awaiting_confirmation): the replies a
	// simulated person may give (empty for a confirmation).
	waits   bool
	answers []string
}

// resultSpec is a result template.
type resultSpec struct {
	outcome   string
	reasoning string
	data      any // JSON-like; strings may hold {vars}
	lessons   string
}

// Outcomes an execution is dealt when it is created.
type outcome int

const (
	outcomeSuccess         outcome = iota
	outcomeBusinessFailure         // completes, but with outcome "failure"
	outcomeError                   // fails part-way (status failed)
)

// risk is a point where a failing execution may break: an action whose
// action_started is moves[at].
type risk struct {
	at      int
	action  action
	failure failure
}

// failure is how an execution breaks.
type failure struct {
	message string // the action_failed message
	reason  string // failedPayload.reason
	osError string // failedPayload.os_error.message, optional
}

// script builds a scenario's moves. Playbooks drive it; it deals with step
// numbers, timing, waiting for humans and failing at a plausible point.
type script struct {
	r        *rand.Rand
	agentID  string
	vars     vars
	outcome  outcome
	forceAsk bool // the first ask always happens (seeding a waiting agent)
	asked    bool
	moves    []move
	risks    []risk
	steps    int
}

// between draws a duration uniformly in [lo, hi] milliseconds.
func between(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo+r.IntN(hi-lo+1)) * time.Millisecond
}

func (s *script) chance(p float64) bool { return s.r.Float64() < p }

// pick returns one of xs.
func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func (s *script) add(after time.Duration, a Activity) {
	s.moves = append(s.moves, move{after: after, act: a})
}

// set defines a template value for the text that follows.
func (s *script) set(name, value string) { s.vars[name] = value }

// node moves to another workflow node.
func (s *script) node(name, nodeType, transitionType string) {
	s.add(between(s.r, 200, 700), Activity{Kind: api.KindTransitionedNode, Node: &NodeTransition{
		NodeID: nameUUID(s.agentID, "node", name), NodeName: name, NodeType: nodeType, TransitionType: transitionType,
	}})
}

// think records the agent's reasoning.
func (s *script) think(text string) {
	s.add(between(s.r, 1500, 4000), Activity{Kind: api.KindReasoning, Reasoning: text})
}

// say records a plain message from the agent.
func (s *script) say(text string) {
	s.add(between(s.r, 300, 1200), Activity{Kind: api.KindGeneric, Message: text})
}

// step runs actions as one numbered step.
func (s *script) step(actions ...action) {
	s.steps++
	n := s.steps
	s.add(between(s.r, 300, 1200), Activity{Kind: api.KindStepStarted, Step: n})
	for _, a := range actions {
		s.action(a)
	}
	s.add(between(s.r, 100, 400), Activity{Kind: api.KindStepCompleted, Step: n})
}

// action plays one action: started, then completed after it took its time.
func (s *script) action(a action) {
	id := newUUID(s.r)
	if a.fail != nil {
		s.risks = append(s.risks, risk{at: len(s.moves), action: a, failure: *a.fail})
	}
	s.add(between(s.r, 200, 900), Activity{Kind: api.KindActionStarted, Message: a.start,
		Action: &Action{Name: a.name, ID: id, Detail: a.startDetail}})
	took := between(s.r, a.took[0], a.took[1])
	s.add(took, Activity{Kind: api.KindActionCompleted, Message: a.done,
		Action: &Action{Name: a.name, ID: id, Duration: took, Detail: a.doneDetail}})
}

// ask has the agent ask a person a question, with probability p, and wait
// for the reply; {answer} holds the reply afterwards. It reports whether
// the question was asked, so the playbook can use the answer.
func (s *script) ask(p float64, q string, answers ...string) bool {
	if !(s.forceAsk && !s.asked) && !s.chance(p) {
		return false
	}
	s.asked = true
	s.step(action{name: ActionSendUserMessage, start: q, done: q, took: [2]int{150, 400}})
	s.moves = append(s.moves, move{
		after: between(s.r, 300, 800), waits: true, answers: answers,
		act: Activity{Kind: api.KindStatusChanged, Change: &StatusChange{
			Status: api.StatusPausedByAgent, Reason: "Waiting for a reply from the user"}},
	})
	return true
}

// confirm has the agent explain itself and wait, with probability p, for a
// person to approve a sensitive action (awaiting_confirmation; an operator
// resume approves).
func (s *script) confirm(p float64, thought, reason string) bool {
	if !s.chance(p) {
		return false
	}
	s.think(thought)
	s.moves = append(s.moves, move{
		after: between(s.r, 300, 900), waits: true,
		act: Activity{Kind: api.KindStatusChanged, Change: &StatusChange{
			Status: api.StatusAwaitingConfirmation, Reason: reason}},
	})
	return true
}

// download saves a file the agent fetched: a file_download action, then
// file_added.
func (s *script) download(name, mime string, size int64, from string) {
	s.action(action{name: "file_download", took: [2]int{600, 3500},
		start:       "Downloading " + name + " from " + from,
		done:        "Saved " + name + " to /home/agent/downloads",
		startDetail: map[string]any{"url": from}, doneDetail: map[string]any{"fileNames": []string{name}}})
	s.add(between(s.r, 50, 250), Activity{Kind: api.KindFileAdded, File: &File{
		Name: name, MimeType: mime, Size: size, Source: SourceDownload, Directory: "downloads"}})
}

// learn records, with probability p, a live edit of the agent's workflow.
func (s *script) learn(p float64, updates ...WorkflowUpdate) {
	if !s.chance(p) {
		return
	}
	for i, u := range updates {
		if u.NodeName != "" {
			updates[i].NodeID = nameUUID(s.agentID, "node", u.NodeName)
		}
		if u.TransitionType != "" {
			updates[i].TransitionID = nameUUID(s.agentID, "transition", u.NodeName, u.TransitionType)
		}
	}
	s.add(between(s.r, 400, 1500), Activity{Kind: api.KindWorkflowUpdated, Updates: updates})
}

// scriptFor records, with probability p, a Playwright script the agent
// generated for a node it now knows how to do without thinking.
func (s *script) scriptFor(p float64, nodeName, context, code string) {
	if !s.chance(p) {
		return
	}
	s.add(between(s.r, 1500, 5000), Activity{Kind: api.KindScriptGenerated, Script: &GeneratedScript{
		NodeID: nameUUID(s.agentID, "node", nodeName), NodeName: nodeName, Script: code, Context: context,
	}})
}

// finish ends the scenario completed with res. An execution dealt an error
// instead breaks at one of the risks met on the way.
func (s *script) finish(res resultSpec) {
	s.node("Return result", "output", "outcome_success")
	s.moves = append(s.moves, move{after: between(s.r, 500, 1500), result: &res,
		act: Activity{Kind: api.KindStatusChanged, Change: &StatusChange{Status: api.StatusCompleted}}})
	if s.outcome == outcomeError {
		s.breakAtRisk()
	}
}

// startupFailures are what goes wrong before an agent gets a browser.
var startupFailures = []failure{
	{reason: "Browser session could not be started: no capacity in region eu-west-1", osError: "ResourceExhausted: 0/24 browser nodes available"},
	{reason: "Proxy connection failed before the session started", osError: "dial tcp 10.42.7.19:3128: connect: connection refused"},
	{reason: "Agent version could not be loaded: workflow graph failed validation", osError: "node \"Return result\" has no incoming transition"},
}

// breakAtRisk cuts the scenario at one of its risks (or before the browser
// even started) and ends it failed.
func (s *script) breakAtRisk() {
	if len(s.risks) == 0 || s.chance(0.15) {
		f := pick(s.r, startupFailures...)
		s.moves = s.moves[:0]
		s.fail(between(s.r, 2000, 6000), f)
		return
	}
	rk := pick(s.r, s.risks...)
	started := s.moves[rk.at]
	s.moves = s.moves[:rk.at+1]
	took := between(s.r, rk.action.took[0], rk.action.took[1]*3)
	s.add(took, Activity{Kind: api.KindActionFailed, Message: rk.failure.message,
		Action: &Action{Name: rk.action.name, ID: started.act.Action.ID, Duration: took}})
	s.fail(between(s.r, 400, 1200), rk.failure)
}

func (s *script) fail(after time.Duration, f failure) {
	s.moves = append(s.moves, move{after: after,
		result: &resultSpec{outcome: "failure", reasoning: f.reason},
		act: Activity{Kind: api.KindStatusChanged, Change: &StatusChange{
			Status: api.StatusFailed, Reason: f.reason, OSError: f.osError}}})
}
