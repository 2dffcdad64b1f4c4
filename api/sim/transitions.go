package sim

import (
	"fmt"
	"slices"

	"github.com/agentop/agentop/api"
)

// transitions is the documented state machine (reference §3.1). Terminal
// statuses have no way out.
var transitions = map[api.Status][]api.Status{
	api.StatusStarting:             {api.StatusRunning, api.StatusFailed, api.StatusCancelled, api.StatusCompleted},
	api.StatusRunning:              {api.StatusPaused, api.StatusPausedByAgent, api.StatusCancelled, api.StatusAwaitingConfirmation, api.StatusCompleted, api.StatusFailed},
	api.StatusPaused:               {api.StatusCancelled, api.StatusRunning},
	api.StatusPausedByAgent:        {api.StatusCancelled, api.StatusRunning},
	api.StatusAwaitingConfirmation: {api.StatusCompleted, api.StatusCancelled, api.StatusFailed, api.StatusRunning},
}

// CanTransition reports whether the documented state machine allows an
// execution to go from one status to another.
func CanTransition(from, to api.Status) bool {
	return slices.Contains(transitions[from], to)
}

// canTimeOut reports whether an execution waiting in from may end failed
// because nobody answered. paused_by_agent → failed is not in the documented
// list, but the docs say an unanswered agent times out to failed (§2.4).
func canTimeOut(from api.Status) bool {
	return from == api.StatusPausedByAgent || from == api.StatusAwaitingConfirmation
}

// OperatorTargets are the statuses an operator may ask for (POST
// /executions/{id}/status): resume, pause and cancel.
var OperatorTargets = []api.Status{api.StatusRunning, api.StatusPaused, api.StatusCancelled}

// CheckOperatorTransition tells whether an operator may move an execution
// from one status to another, and if not, why: the target must be one of
// OperatorTargets and the documented state machine must allow the move.
// Resuming (running) is for an operator pause or to approve an execution
// awaiting confirmation; an agent waiting for an answer (paused_by_agent) is
// resumed by a user message, and one still starting needs no resume.
func CheckOperatorTransition(from, to api.Status) error {
	switch {
	case !slices.Contains(OperatorTargets, to):
		return invalid("status must be one of running, paused or cancelled, not %q", to)
	case from.IsTerminal():
		return invalid("execution is %s; its status can no longer change", from)
	case from == to:
		return invalid("execution is already %s", from)
	case from == api.StatusPausedByAgent && to == api.StatusRunning:
		return invalid("the agent is waiting for an answer; send a user message to resume it")
	case from == api.StatusStarting && to == api.StatusRunning:
		return invalid("execution is still starting; there is nothing to resume")
	case !CanTransition(from, to):
		return invalid("cannot change status from %s to %s", from, to)
	}
	return nil
}

func invalid(format string, a ...any) error {
	return &api.Error{Kind: api.KindInvalid, Message: fmt.Sprintf(format, a...)}
}

func notFound(what, id string) error {
	return &api.Error{Kind: api.KindNotFound, Message: fmt.Sprintf("%s %s not found", what, id)}
}

// notMember is the error for an organization other than the simulated one.
func notMember() error {
	return &api.Error{Kind: api.KindForbidden, Message: "User is not a member of the organization."}
}
