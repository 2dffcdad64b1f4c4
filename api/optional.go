package api

import (
	"context"
	"time"
)

// Optional interfaces: a Backend implements them where its platform has the
// feature, and callers check with a type assertion. Each is small, as k9s's
// optional resource capabilities are.

// Asker is a backend that reads a waiting execution's question itself, the
// platform's own way. The poller uses it when a backend has it; otherwise it
// reads the newest activities and calls DeriveInteraction. seen is when the
// caller first saw the execution waiting (AskedAt of a fallback question).
type Asker interface {
	Interaction(ctx context.Context, e Execution, seen time.Time) (InteractionRequest, error)
}

// ReasonCanceler is a backend whose cancel takes a reason (Capabilities'
// CancelReason says whether one is required). Cancel(ctx, id) is then
// CancelWithReason(ctx, id, "").
type ReasonCanceler interface {
	CancelWithReason(ctx context.Context, id, reason string) error
}

// CancelExecution cancels through b, with reason where b takes one. A
// reason b cannot carry is dropped.
func CancelExecution(ctx context.Context, b Backend, id, reason string) error {
	if rc, ok := b.(ReasonCanceler); ok {
		return rc.CancelWithReason(ctx, id, reason)
	}
	return b.Cancel(ctx, id)
}

// PollHints are a platform's limits and preferences for pollers: how often
// it may be asked and how much at once. Zero fields mean "no constraint
// beyond the poller's own defaults".
type PollHints struct {
	MinSweep    time.Duration // shortest interval between two sweeps of the active set
	MinTail     time.Duration // shortest interval between two reads of the focused execution's feed
	MaxPageSize int           // largest page a listing serves
	MaxInFlight int           // requests in flight at once
	ListCap     int           // a listing shows at most this many items, with no total (0: no cap)
}

// Hinter is a backend with polling hints.
type Hinter interface {
	PollHints() PollHints
}

// HintsOf returns b's polling hints, or zero hints.
func HintsOf(b Backend) PollHints {
	if h, ok := b.(Hinter); ok {
		return h.PollHints()
	}
	return PollHints{}
}

// ReadInteraction reads what e, an execution waiting for a human, asks:
// its question b's own way where b is an Asker, else from its newest limit
// activities with DeriveInteraction; for an execution awaiting
// confirmation, what it wants approved (DeriveApproval). seen is when the
// caller first saw it waiting.
func ReadInteraction(ctx context.Context, b Backend, e Execution, limit int, seen time.Time) (InteractionRequest, error) {
	approval := e.Status.Wants() == WantsApproval
	if asker, ok := b.(Asker); ok && !approval {
		return asker.Interaction(ctx, e, seen)
	}
	acts, err := b.Activities(ctx, e.ID, ActivityQuery{Order: SortDesc, Limit: limit})
	if err != nil {
		return InteractionRequest{}, err
	}
	if approval {
		return DeriveApproval(e, acts, seen), nil
	}
	return DeriveInteraction(e, acts, seen), nil
}

// Watcher is a backend that can push one execution's changes (ArchAstro's
// session stream): fn gets the execution as it is now, then after each
// change, until the stream ends (the execution ended), ctx is done, or fn
// returns false. Polling stays the source of truth; a watcher only tells a
// poller to look sooner. An execution the platform has no stream for
// answers an *Error of kind KindUnsupported.
type Watcher interface {
	Watch(ctx context.Context, id string, fn func(Execution) bool) error
}
