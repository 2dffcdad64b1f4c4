package poller

import (
	"sort"
	"time"

	"github.com/agentop/agentop/api"
)

// Snapshot is the fleet as of one sweep. It is immutable once published:
// readers share it without locks and must not modify it.
type Snapshot struct {
	Seq        uint64
	Taken      time.Time
	Executions []api.Execution // newest first (CreatedAt desc, then ID)
	index      map[string]int
	// Counts counts Executions per status.
	Counts map[api.Status]int
	// ActiveTotal is how many non-terminal executions the platform reported,
	// which exceeds the active ones in Executions when the sweep was capped.
	ActiveTotal int
	// Partial is set when the platform listed only part of the active
	// executions (its listing stops at a cap even per agent): some are
	// missing and nothing says which. The dashboard says so.
	Partial bool
	// PerAgent summarises Executions per agent id.
	PerAgent map[string]AgentStats
	// Waiting lists the open interaction requests, oldest first. An
	// execution is here only if the newest listing that showed it had it
	// waiting: one that moved on (answered, ended) leaves at the first
	// complete listing without it, and its new status is in Executions.
	Waiting []api.InteractionRequest
	waitIdx map[string]int

	// Conn is the connection when the snapshot was taken: Live, or
	// Degraded when some of the sweep's requests failed (what they would
	// have changed is as it was). LastSuccess is when the poller last had
	// an answer; past StaleAfter, State reports the data degraded.
	Conn        ConnState
	LastSuccess time.Time
	StaleAfter  time.Duration

	// Contexts is, in a Fleet's merged snapshot, the state of every
	// context in the fleet's order; nil in a Poller's.
	Contexts []ContextState
}

// State is the connection as of now: the snapshot's, but never Live once
// its data is older than StaleAfter. ConnectionEvents report changes sooner.
func (s *Snapshot) State(now time.Time) ConnState {
	if s == nil {
		return Connecting
	}
	if s.Conn == Live && s.StaleAfter > 0 && now.Sub(s.LastSuccess) > s.StaleAfter {
		return Degraded
	}
	return s.Conn
}

// AgentStats counts one agent's executions in a snapshot.
type AgentStats struct {
	AgentID   string
	AgentName string
	Context   string // in a Fleet's snapshot, the context of the agent's first execution
	Active    int
	Waiting   int
	Failed    int
	Total     int
	LastRun   time.Time
}

// Get returns the execution with the given id.
func (s *Snapshot) Get(id string) (api.Execution, bool) {
	if s == nil {
		return api.Execution{}, false
	}
	i, ok := s.index[id]
	if !ok {
		return api.Execution{}, false
	}
	return s.Executions[i], true
}

// WaitingFor returns the open interaction request of an execution.
func (s *Snapshot) WaitingFor(id string) (api.InteractionRequest, bool) {
	if s == nil {
		return api.InteractionRequest{}, false
	}
	if i, ok := s.waitIdx[id]; ok {
		return s.Waiting[i], true
	}
	return api.InteractionRequest{}, false
}

// Len is the number of executions.
func (s *Snapshot) Len() int {
	if s == nil {
		return 0
	}
	return len(s.Executions)
}

// NewSnapshot builds a snapshot from executions (any order; the slice is
// sorted in place and kept) and the open questions keyed by execution id;
// waiting executions without one get the generic prompt. It does the O(N)
// work once, off the UI. The poller builds its snapshots with it; tests and
// tools can too.
func NewSnapshot(seq uint64, taken time.Time, execs []api.Execution, activeTotal int, questions map[string]api.InteractionRequest) *Snapshot {
	sort.Slice(execs, func(i, j int) bool {
		a, b := execs[i], execs[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.After(b.CreatedAt)
		}
		return a.ID > b.ID
	})
	s := &Snapshot{
		Seq:         seq,
		Taken:       taken,
		Executions:  execs,
		index:       make(map[string]int, len(execs)),
		Counts:      map[api.Status]int{},
		ActiveTotal: activeTotal,
		PerAgent:    map[string]AgentStats{},
	}
	for i, e := range execs {
		s.index[e.ID] = i
		s.Counts[e.Status]++
		st := s.PerAgent[e.AgentID]
		st.AgentID = e.AgentID
		if st.AgentName == "" {
			st.AgentName, st.Context = e.AgentName, e.Context
		}
		st.Total++
		if !e.Status.IsTerminal() {
			st.Active++
		}
		if e.Status.AwaitsHuman() {
			st.Waiting++
		}
		if e.Status == api.StatusFailed {
			st.Failed++
		}
		if e.CreatedAt.After(st.LastRun) {
			st.LastRun = e.CreatedAt
		}
		s.PerAgent[e.AgentID] = st
		if e.Status.AwaitsHuman() {
			q, ok := questions[e.ID]
			if !ok {
				q = derive(e, taken)
			}
			s.Waiting = append(s.Waiting, q)
		}
	}
	sort.SliceStable(s.Waiting, func(i, j int) bool { return s.Waiting[i].AskedAt.Before(s.Waiting[j].AskedAt) })
	s.waitIdx = make(map[string]int, len(s.Waiting))
	for i, w := range s.Waiting {
		s.waitIdx[w.ExecutionID] = i
	}
	return s
}

// diff lists what changed from prev to next.
func diff(prev, next *Snapshot) []Change {
	var out []Change
	for _, e := range next.Executions {
		old, ok := prev.Get(e.ID)
		switch {
		case !ok:
			out = append(out, Change{Kind: Added, ExecutionID: e.ID, To: e.Status})
		case old.Status != e.Status:
			out = append(out, Change{Kind: StatusChanged, ExecutionID: e.ID, From: old.Status, To: e.Status})
		case old.Result == nil && e.Result != nil:
			out = append(out, Change{Kind: ResultArrived, ExecutionID: e.ID, From: old.Status, To: e.Status})
		case detailsChanged(old, e):
			out = append(out, Change{Kind: Updated, ExecutionID: e.ID, From: old.Status, To: e.Status})
		}
	}
	if prev != nil {
		for _, e := range prev.Executions {
			if _, ok := next.Get(e.ID); !ok {
				out = append(out, Change{Kind: Removed, ExecutionID: e.ID, From: e.Status})
			}
		}
	}
	return out
}

// detailsChanged compares the fields a dashboard shows besides status and
// result.
func detailsChanged(a, b api.Execution) bool {
	return a.RecordingURL != b.RecordingURL || a.LiveViewURL != b.LiveViewURL ||
		a.Duration != b.Duration || !a.TerminalAt.Equal(b.TerminalAt) ||
		a.ProfileName != b.ProfileName || len(a.Labels) != len(b.Labels) ||
		len(a.Comments) != len(b.Comments) || (a.Result != nil && b.Result != nil && a.Result.Outcome != b.Result.Outcome)
}
