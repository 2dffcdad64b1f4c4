package poller

import (
	"errors"
	"fmt"
	"time"

	"github.com/agentop/agentop/api"
)

// ContextState is one context's part of a Fleet's merged snapshot: its
// connection and what it contributed.
type ContextState struct {
	Context  string // the context's name
	Platform string // its platform's name
	// State is the context's connection as of its newest report: Connecting
	// until its first sweep, then Live, Degraded or Offline (see Now and
	// Word for the state as of now, and Unauthorized).
	State       ConnState
	Err         error     // the failure behind Degraded or Offline
	LastSuccess time.Time // when the context last answered a sweep; zero until it did
	NextRetry   time.Time // when its next attempt is due, while failing
	StaleAfter  time.Duration
	// Executions and Waiting count what the context contributed to the
	// merged snapshot; ActiveTotal is its platform's count of non-terminal
	// executions.
	Executions  int
	Waiting     int
	ActiveTotal int
	// Duplicates counts the context's executions left out because an
	// earlier context of the fleet reported the same id (the same account
	// configured twice): the first context's copy is kept.
	Duplicates int
}

// Unauthorized reports whether the context's failure is its credentials:
// the platform answered 401 or 403.
func (c ContextState) Unauthorized() bool {
	k := api.KindOf(c.Err)
	return c.State != Live && c.Err != nil && (k == api.KindUnauthorized || k == api.KindForbidden)
}

// Now is the state as of now: never Live once the data is older than
// StaleAfter.
func (c ContextState) Now(now time.Time) ConnState {
	if c.State == Live && c.StaleAfter > 0 && !c.LastSuccess.IsZero() && now.Sub(c.LastSuccess) > c.StaleAfter {
		return Degraded
	}
	return c.State
}

// Word is the state as a header shows it: live, degraded, offline,
// unauthorized or connecting.
func (c ContextState) Word(now time.Time) string {
	if c.Unauthorized() {
		return "unauthorized"
	}
	return c.Now(now).String()
}

// Age is how old the context's data is; 0 before its first answer.
func (c ContextState) Age(now time.Time) time.Duration {
	if c.LastSuccess.IsZero() {
		return 0
	}
	return now.Sub(c.LastSuccess)
}

// part is what a Fleet knows of one context when it merges.
type part struct {
	snap  *Snapshot
	state ContextState
}

// mergeSnapshots joins the newest snapshot of every context into one:
// executions newest first across contexts (CreatedAt desc, then id desc,
// then the contexts' order), every one tagged with its context; counts,
// per-agent stats and ActiveTotal fleet-wide; the open questions oldest
// first across contexts; the connection Live only when every context is,
// Offline when none is. An id already taken by an earlier context is left
// out and counted in the later one's Duplicates.
//
// Its cost is O(N·K) for N executions over K contexts, paid in the fleet's
// goroutine; the parts' snapshots are read, never modified.
func mergeSnapshots(seq uint64, now time.Time, parts []part) *Snapshot {
	s := mergeOnce(seq, now, parts, false)
	if len(s.index) < len(s.Executions) {
		// Some id came from two contexts: merge again, keeping the
		// first context's (rare: the same account configured twice).
		s = mergeOnce(seq, now, parts, true)
	}
	return s
}

// mergeOnce is one merge; with dedupe, ids already taken are left out.
func mergeOnce(seq uint64, now time.Time, parts []part, dedupe bool) *Snapshot {
	total := 0
	for _, p := range parts {
		total += p.snap.Len()
	}
	execs := make([]api.Execution, 0, total)
	var owner map[string]int // execution id → index of its part
	if dedupe {
		owner = make(map[string]int, total)
	}
	states := make([]ContextState, len(parts))
	activeTotal, partial := 0, false
	heads := make([]int, len(parts))
	for i, p := range parts {
		states[i] = p.state
		states[i].Executions, states[i].Waiting, states[i].Duplicates, states[i].ActiveTotal = 0, 0, 0, 0
		if p.snap != nil {
			states[i].ActiveTotal = p.snap.ActiveTotal
			activeTotal += p.snap.ActiveTotal
			partial = partial || p.snap.Partial
		}
	}
	for {
		best := -1
		var bestE *api.Execution
		for i, p := range parts {
			if p.snap == nil || heads[i] >= len(p.snap.Executions) {
				continue
			}
			if e := &p.snap.Executions[heads[i]]; best < 0 || newer(e, bestE) {
				best, bestE = i, e
			}
		}
		if best < 0 {
			break
		}
		heads[best]++
		if dedupe {
			if _, dup := owner[bestE.ID]; dup {
				states[best].Duplicates++
				continue
			}
			owner[bestE.ID] = best
		}
		execs = append(execs, *bestE)
		execs[len(execs)-1].Context = parts[best].state.Context
		states[best].Executions++
	}
	questions := map[string]api.InteractionRequest{}
	for i, p := range parts {
		if p.snap == nil {
			continue
		}
		for _, q := range p.snap.Waiting {
			if o, ok := owner[q.ExecutionID]; dedupe && (!ok || o != i) {
				continue
			}
			if _, taken := questions[q.ExecutionID]; taken {
				continue
			}
			q.Context = p.state.Context
			questions[q.ExecutionID] = q
			states[i].Waiting++
		}
	}
	s := NewSnapshot(seq, now, execs, activeTotal, questions)
	s.Contexts, s.Partial = states, partial
	s.Conn, s.LastSuccess, s.StaleAfter = fleetConn(states)
	return s
}

// newer orders executions as a Snapshot does: CreatedAt desc, then id desc.
// Equal ones keep the order of their contexts.
func newer(a, b *api.Execution) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.After(b.CreatedAt)
	}
	return a.ID > b.ID
}

// fleetConn is the connection of the fleet as a whole: Live when every
// context is, Connecting while none has answered, Offline when every
// context that answered once is offline, else Degraded. LastSuccess is the
// oldest of the contexts that answered (so one context's stale data makes
// the fleet's stale), StaleAfter the longest.
func fleetConn(states []ContextState) (ConnState, time.Time, time.Duration) {
	var last time.Time
	var stale time.Duration
	live, offline, answered := 0, 0, 0
	for _, c := range states {
		stale = max(stale, c.StaleAfter)
		switch c.State {
		case Live:
			live++
		case Offline:
			offline++
		}
		if c.LastSuccess.IsZero() {
			continue
		}
		answered++
		if last.IsZero() || c.LastSuccess.Before(last) {
			last = c.LastSuccess
		}
	}
	switch {
	case live == len(states):
		return Live, last, stale
	case offline == len(states):
		return Offline, last, stale
	case answered == 0 && offline == 0:
		return Connecting, last, stale
	}
	return Degraded, last, stale
}

// fleetError names the failing contexts: "support: unauthorized …; ops: …".
// Its Unwrap lets errors.As find an *api.Error.
func fleetError(states []ContextState) error {
	var errs []error
	for _, c := range states {
		if c.State != Live && c.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Context, c.Err))
		}
	}
	return errors.Join(errs...)
}
