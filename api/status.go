package api

// Status is the lifecycle state of an execution.
//
// The vocabulary is Asteroid's, which is the richest of the supported platforms;
// other platforms map their own states onto it in their adapter (for example a
// platform's "waiting for input" becomes StatusPausedByAgent, "pending" becomes
// StatusStarting). A value the adapter does not recognise is kept verbatim: it
// is displayed as sent and treated as non-terminal, so an unknown state never
// stops a poll loop early.
type Status string

// Known statuses.
const (
	StatusStarting             Status = "starting"
	StatusRunning              Status = "running"
	StatusPaused               Status = "paused"          // paused by an operator
	StatusPausedByAgent        Status = "paused_by_agent" // the agent asked a human and waits
	StatusAwaitingConfirmation Status = "awaiting_confirmation"
	StatusCompleted            Status = "completed"
	StatusFailed               Status = "failed"
	StatusCancelled            Status = "cancelled"
)

// KnownStatuses lists every known status, active ones first, in the order a
// dashboard shows their counts.
var KnownStatuses = []Status{
	StatusPausedByAgent, StatusAwaitingConfirmation, StatusRunning, StatusStarting,
	StatusPaused, StatusCompleted, StatusFailed, StatusCancelled,
}

// ActiveStatuses lists the known non-terminal statuses.
var ActiveStatuses = []Status{
	StatusStarting, StatusRunning, StatusPaused, StatusPausedByAgent, StatusAwaitingConfirmation,
}

// TerminalStatuses lists the statuses an execution never leaves.
var TerminalStatuses = []Status{StatusCompleted, StatusFailed, StatusCancelled}

// IsTerminal reports whether the execution has ended for good. Unknown
// statuses are not terminal.
func (s Status) IsTerminal() bool {
	switch s {
	case StatusCompleted, StatusFailed, StatusCancelled:
		return true
	}
	return false
}

// IsKnown reports whether s is one of the statuses listed in KnownStatuses.
func (s Status) IsKnown() bool {
	for _, k := range KnownStatuses {
		if s == k {
			return true
		}
	}
	return false
}

// NeedsHuman reports whether the execution is blocked on a person: the agent
// asked a question (paused_by_agent).
func (s Status) NeedsHuman() bool { return s == StatusPausedByAgent }

// AwaitsHuman reports whether the execution is blocked on a person for any
// reason: an agent's question (paused_by_agent) or an approval before a
// sensitive step (awaiting_confirmation). NeedsHuman is narrower — the
// question alone, answered by a reply — and is what the dashboard's reply
// box and poller use.
func (s Status) AwaitsHuman() bool {
	return s == StatusPausedByAgent || s == StatusAwaitingConfirmation
}

// What a person is asked for (Status.Wants).
const (
	WantsAnswer   = "answer"   // a reply to the agent's question
	WantsApproval = "approval" // a resume that approves the next step (or a cancel that refuses it)
)

// Wants says what the execution waits for from a person: WantsAnswer,
// WantsApproval, or "" when it waits for nobody.
func (s Status) Wants() string {
	switch s {
	case StatusPausedByAgent:
		return WantsAnswer
	case StatusAwaitingConfirmation:
		return WantsApproval
	}
	return ""
}

// CanPause, CanResume and CanCancel tell which operator actions the documented
// state machine allows from s. An unknown status allows only cancel, which the
// server is free to refuse.
func (s Status) CanPause() bool { return s == StatusRunning }

// CanResume reports whether an operator resume (status "running") is allowed:
// from an operator pause, or to approve an execution awaiting confirmation.
// paused_by_agent is left by replying, not by resuming.
func (s Status) CanResume() bool { return s == StatusPaused || s == StatusAwaitingConfirmation }

// CanCancel reports whether cancelling is allowed.
func (s Status) CanCancel() bool { return !s.IsTerminal() }

// String returns the status as sent by the platform.
func (s Status) String() string { return string(s) }
