package poller

import (
	"strconv"
	"time"

	"github.com/agentop/agentop/api"
)

// Event is what the poller emits. The concrete types are listed below.
type Event interface{ isEvent() }

// SnapshotEvent carries a new fleet snapshot: the executions changed (added,
// status, result). Changes lists what moved since the previous snapshot.
type SnapshotEvent struct {
	Snapshot *Snapshot
	Changes  []Change
}

// InteractionEvent announces an execution that entered paused_by_agent (or
// that was waiting when the poller started: Initial), with the agent's
// question. The authoritative list of open requests is Snapshot.Waiting.
type InteractionEvent struct {
	Request api.InteractionRequest
	Initial bool // seen on the first sweep, not a new arrival
}

// ActivitiesEvent carries activities of the focused execution, oldest first.
// Focus is the generation returned by Poller.Focus; events of an older focus
// are stale.
type ActivitiesEvent struct {
	Context     string // the context of the execution, in a Fleet; "" from a Poller
	ExecutionID string
	Focus       uint64
	Activities  []api.Activity
	Reset       bool // the first load for this focus: replace, don't append
	Older       bool // with Reset: the load was a full window, so older activities exist
	Gap         bool // activities may be missing between the previous load and this one
	Final       bool // the execution is terminal and this was the last fetch
}

// LastActivityEvent carries the newest activity of executions visible on
// screen (see Poller.SetVisible).
type LastActivityEvent struct {
	Context string                  // the context of the executions, in a Fleet; "" from a Poller
	Latest  map[string]api.Activity // execution id → newest activity
}

// CatalogEvent carries the slowly changing listings. A nil slice means "not
// fetched" (unsupported, or failed: see Errs), not "empty".
type CatalogEvent struct {
	Context  string // the context listed, in a Fleet; "" from a Poller
	Agents   []api.Agent
	Profiles []api.Profile
	Pools    []api.ProfilePool
	Versions []api.AgentVersion // agents' configuration versions, where the platform has them
	// Environments and Deployments are where agents are deployed, where
	// the platform has them (api.Deployer).
	Environments []api.Environment
	Deployments  []api.Deployment
	Errs         []error
}

// ConnState is the health of the link to the platform.
type ConnState int

// Connection states.
const (
	Connecting ConnState = iota // no sweep has finished yet
	Live                        // the last sweep succeeded
	Degraded                    // recent calls failed; retrying
	Offline                     // repeated failures (network, auth); retrying with backoff
)

func (s ConnState) String() string {
	switch s {
	case Live:
		return "live"
	case Degraded:
		return "degraded"
	case Offline:
		return "offline"
	}
	return "connecting"
}

// ConnectionEvent reports a change of connection state.
type ConnectionEvent struct {
	// Context is "" from a Poller; a Fleet reports the fleet as a whole
	// with "" too, and each context's state in Snapshot.Contexts.
	Context     string
	State       ConnState
	LastSuccess time.Time // zero until a sweep succeeded
	Err         error     // the failure behind Degraded/Offline
	NextRetry   time.Time // when the next attempt is due, while failing
}

// ErrorEvent reports a failed call that is not a sweep (those change the
// connection state instead): a tail, a question lookup, the catalog.
type ErrorEvent struct {
	Context string // the context whose call failed, in a Fleet; "" from a Poller
	Op      string
	Err     error
	Focus   uint64 // for a tail's error, the focus generation it belongs to; else 0
}

func (SnapshotEvent) isEvent()     {}
func (InteractionEvent) isEvent()  {}
func (ActivitiesEvent) isEvent()   {}
func (LastActivityEvent) isEvent() {}
func (CatalogEvent) isEvent()      {}
func (ConnectionEvent) isEvent()   {}
func (ErrorEvent) isEvent()        {}

// ChangeKind says what changed about an execution.
type ChangeKind int

// Change kinds.
const (
	Added         ChangeKind = iota // first seen
	StatusChanged                   // From → To
	ResultArrived                   // the result appeared (possibly after the terminal status)
	Updated                         // other shown details changed (URLs, duration, labels …)
	Removed                         // no longer in the snapshot (aged out or deleted)
)

// Change is one execution's change between two snapshots.
type Change struct {
	Kind        ChangeKind
	ExecutionID string
	From, To    api.Status
}

// Coalesce merges a burst of events into as few as possible, keeping their
// meaning: consecutive snapshots collapse into the newest with all changes
// concatenated; activities of the same focus and execution are appended (a
// Reset discards what came before it); last-activity maps merge; only the
// newest connection state is kept. Interaction, catalog and error events are
// kept as they are (catalog: newest only). Order of the kinds is preserved by
// first appearance. Events of a Fleet merge only with those of the same
// context.
func Coalesce(in []Event) []Event {
	if len(in) < 2 {
		return in
	}
	out := make([]Event, 0, len(in))
	slot := map[string]int{} // merge key → index in out
	put := func(key string, ev Event, merge func(prev Event) Event) {
		if i, ok := slot[key]; ok {
			out[i] = merge(out[i])
			return
		}
		slot[key] = len(out)
		out = append(out, ev)
	}
	for _, ev := range in {
		switch e := ev.(type) {
		case SnapshotEvent:
			put("snapshot", e, func(prev Event) Event {
				p := prev.(SnapshotEvent)
				changes := append(append([]Change(nil), p.Changes...), e.Changes...)
				return SnapshotEvent{Snapshot: e.Snapshot, Changes: changes}
			})
		case ActivitiesEvent:
			key := "acts:" + e.Context + ":" + e.ExecutionID + ":" + strconv.FormatUint(e.Focus, 10)
			put(key, e, func(prev Event) Event {
				p := prev.(ActivitiesEvent)
				if e.Reset {
					return e
				}
				p.Activities = append(append([]api.Activity(nil), p.Activities...), e.Activities...)
				p.Gap = p.Gap || e.Gap
				p.Final = p.Final || e.Final
				return p
			})
		case LastActivityEvent:
			put("last:"+e.Context, e, func(prev Event) Event {
				p := prev.(LastActivityEvent)
				m := make(map[string]api.Activity, len(p.Latest)+len(e.Latest))
				for k, v := range p.Latest {
					m[k] = v
				}
				for k, v := range e.Latest {
					m[k] = v
				}
				return LastActivityEvent{Context: e.Context, Latest: m}
			})
		case ConnectionEvent:
			put("conn", e, func(Event) Event { return e })
		case CatalogEvent:
			put("catalog:"+e.Context, e, func(Event) Event { return e })
		default:
			out = append(out, ev)
		}
	}
	return out
}
