package poller

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentop/agentop/api"
)

// FleetMember is one context of a Fleet.
type FleetMember struct {
	Context  string // the context's name, unique in the fleet
	Platform string // its platform's name, for display
	// Config is the context's poller configuration; Config.Backend is the
	// context's client (with its own key and base URL). The platform's
	// polling hints (api.HintsOf) apply as they do to any Poller.
	Config Config
}

// Fleet polls several contexts — accounts, platforms — as one fleet: one
// Poller per context, each with its own backend, cadences and backoff, and
// one merged Snapshot of them all.
//
// Its Events are those of its pollers tagged with their context
// (ActivitiesEvent.Context, InteractionEvent.Request.Context, …), except
// snapshots and connection changes: the fleet merges every context's newest
// snapshot into one (see Snapshot.Contexts for each context's connection)
// in its own goroutine, once per burst of reports, and emits it as one
// SnapshotEvent with a growing Seq; a ConnectionEvent then reports the
// fleet as a whole. Requests are those of the pollers: N contexts cost N
// pollers, each as much as it would alone.
//
// Execution ids are the keys, as in a Poller's snapshot. When two contexts
// report the same id (the same account configured twice), the first
// context's execution is kept and the other's counted in its
// ContextState.Duplicates.
type Fleet struct {
	members []*member
	byName  map[string]*member
	events  chan Event
	snap    atomic.Pointer[Snapshot]
	now     func() time.Time

	catMu   sync.Mutex
	catalog map[string]string // "a:"+agent id, "p:"+profile id, "l:"+pool id → context
}

// member is one context with its poller.
type member struct {
	index int
	name  string
	plat  string
	p     *Poller
}

// tagged is an event of a member, on the way into the fleet's loop.
type tagged struct {
	from *member
	ev   Event
}

// NewFleet returns a fleet of the members, in their order (the order of
// the header and of ties). It refuses none, a nameless or repeated
// context, and a member without a backend.
func NewFleet(members []FleetMember) (*Fleet, error) {
	if len(members) == 0 {
		return nil, errors.New("poller: a fleet needs at least one context")
	}
	f := &Fleet{byName: map[string]*member{}, events: make(chan Event, 64), now: time.Now, catalog: map[string]string{}}
	for i, m := range members {
		switch {
		case m.Context == "":
			return nil, fmt.Errorf("poller: context %d of the fleet has no name", i+1)
		case f.byName[m.Context] != nil:
			return nil, fmt.Errorf("poller: context %q is in the fleet twice", m.Context)
		case m.Config.Backend == nil:
			return nil, fmt.Errorf("poller: context %q has no backend", m.Context)
		}
		if i == 0 && m.Config.Now != nil {
			f.now = m.Config.Now
		}
		mb := &member{index: i, name: m.Context, plat: m.Platform, p: New(m.Config)}
		f.members = append(f.members, mb)
		f.byName[m.Context] = mb
	}
	return f, nil
}

// Events is where the fleet reports. It is closed when Run returns.
func (f *Fleet) Events() <-chan Event { return f.events }

// Snapshot returns the newest merged snapshot (nil before the first).
func (f *Fleet) Snapshot() *Snapshot { return f.snap.Load() }

// Contexts lists the contexts' names in the fleet's order.
func (f *Fleet) Contexts() []string {
	out := make([]string, len(f.members))
	for i, m := range f.members {
		out[i] = m.name
	}
	return out
}

// Poller returns the poller of a context (nil for an unknown one).
func (f *Fleet) Poller(context string) *Poller {
	if m := f.byName[context]; m != nil {
		return m.p
	}
	return nil
}

// Backend returns the backend of a context (nil for an unknown one): an
// action on an execution goes to the backend of its Context.
func (f *Fleet) Backend(context string) api.Backend {
	if m := f.byName[context]; m != nil {
		return m.p.cfg.Backend
	}
	return nil
}

// ContextOf returns the context of an execution: the merged snapshot's
// owner of id, else the first context whose own newest snapshot has it;
// "" when none knows it.
func (f *Fleet) ContextOf(id string) string {
	if e, ok := f.snap.Load().Get(id); ok {
		return e.Context
	}
	for _, m := range f.members {
		if _, ok := m.p.Snapshot().Get(id); ok {
			return m.name
		}
	}
	return ""
}

// ContextOfAgent returns the context whose catalog lists the agent ("" when
// none does yet); the first context's when several do.
func (f *Fleet) ContextOfAgent(id string) string { return f.owner("a:" + id) }

// ContextOfProfile returns the context whose catalog lists the profile.
func (f *Fleet) ContextOfProfile(id string) string { return f.owner("p:" + id) }

// ContextOfPool returns the context whose catalog lists the pool.
func (f *Fleet) ContextOfPool(id string) string { return f.owner("l:" + id) }

func (f *Fleet) owner(key string) string {
	f.catMu.Lock()
	defer f.catMu.Unlock()
	return f.catalog[key]
}

// learn records which context a catalog's agents, profiles and pools are
// in; an id an earlier context has listed stays the earlier one's.
func (f *Fleet) learn(name string, e CatalogEvent) {
	f.catMu.Lock()
	defer f.catMu.Unlock()
	put := func(key string) {
		if cur, ok := f.catalog[key]; !ok || f.byName[cur].index > f.byName[name].index {
			f.catalog[key] = name
		}
	}
	for _, a := range e.Agents {
		put("a:" + a.ID)
	}
	for _, p := range e.Profiles {
		put("p:" + p.ID)
	}
	for _, p := range e.Pools {
		put("l:" + p.ID)
	}
}

// Focus tails id in the poller of its context (ContextOf) and unfocuses
// every other; gen orders calls as Poller.Focus's does. An id no context
// knows yet focuses nothing: FocusIn names the context.
func (f *Fleet) Focus(id string, gen uint64) {
	f.FocusIn(f.ContextOf(id), id, gen)
}

// FocusIn tails id in the poller of context and unfocuses every other.
func (f *Fleet) FocusIn(context, id string, gen uint64) {
	for _, m := range f.members {
		if m.name == context {
			m.p.Focus(id, gen)
		} else {
			m.p.Focus("", gen)
		}
	}
}

// SetVisible gives each context's poller the visible executions that are
// its own (by the merged snapshot), in display order; gen orders calls as
// Poller.SetVisible's does. Ids no context knows are left out.
func (f *Fleet) SetVisible(ids []string, gen uint64) {
	snap := f.snap.Load()
	per := make([][]string, len(f.members))
	for _, id := range ids {
		e, ok := snap.Get(id)
		if !ok {
			continue
		}
		if m := f.byName[e.Context]; m != nil {
			per[m.index] = append(per[m.index], id)
		}
	}
	for i, m := range f.members {
		m.p.SetVisible(per[i], gen)
	}
}

// Nudge nudges every context's poller (Poller.Nudge); NudgeContext only
// the one an action went to.
func (f *Fleet) Nudge() {
	for _, m := range f.members {
		m.p.Nudge()
	}
}

// NudgeContext nudges the poller of one context.
func (f *Fleet) NudgeContext(context string) {
	if m := f.byName[context]; m != nil {
		m.p.Nudge()
	}
}

// NudgeFor is Poller.NudgeFor in the poller of each execution's context
// (ContextOf); ids no context knows nudge every context.
func (f *Fleet) NudgeFor(ids ...string) {
	per := make([][]string, len(f.members))
	unknown := false
	for _, id := range ids {
		if m := f.byName[f.ContextOf(id)]; m != nil {
			per[m.index] = append(per[m.index], id)
		} else {
			unknown = true
		}
	}
	for i, m := range f.members {
		switch {
		case len(per[i]) > 0:
			m.p.NudgeFor(per[i]...)
		case unknown:
			m.p.Nudge()
		}
	}
}

// Refresh refreshes every context's poller (Poller.Refresh).
func (f *Fleet) Refresh() {
	for _, m := range f.members {
		m.p.Refresh()
	}
}

// RefreshContext refreshes the poller of one context.
func (f *Fleet) RefreshContext(context string) {
	if m := f.byName[context]; m != nil {
		m.p.Refresh()
	}
}

// Run runs every context's poller and the merging until ctx is done, then
// closes Events and returns ctx.Err(). A poller's panic stops the fleet and
// is re-raised from Run.
func (f *Fleet) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan tagged, 64*len(f.members))
	var wg, feeders sync.WaitGroup
	var once sync.Once
	var crashed any
	guard := func(fn func()) {
		defer func() {
			if r := recover(); r != nil {
				once.Do(func() { crashed = r })
				cancel()
			}
		}()
		fn()
	}
	for _, m := range f.members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			guard(func() { _ = m.p.Run(ctx) })
		}()
		feeders.Add(1)
		go func() {
			defer feeders.Done()
			for ev := range m.p.Events() {
				select {
				case in <- tagged{from: m, ev: ev}:
				case <-ctx.Done():
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		guard(func() { f.loop(ctx, in) })
	}()
	wg.Wait()
	feeders.Wait()
	close(f.events)
	if crashed != nil {
		panic(crashed)
	}
	return ctx.Err()
}

// fleetBurst bounds how many reports the loop takes before it merges.
const fleetBurst = 256

// loop takes the members' events, keeps each context's newest snapshot
// and connection, and after every burst merges and emits: the merged
// snapshot first, then the burst's other events in order, tagged.
func (f *Fleet) loop(ctx context.Context, in <-chan tagged) {
	parts := make([]part, len(f.members))
	for i, m := range f.members {
		parts[i].state = ContextState{Context: m.name, Platform: m.plat, StaleAfter: m.p.cfg.StaleAfter}
	}
	var seq uint64
	var lastConn ConnectionEvent
	var pending []Event
	for {
		var first tagged
		select {
		case first = <-in:
		case <-ctx.Done():
			return
		}
		data, conn := false, false
		take := func(t tagged) {
			d, c, ev := f.absorb(&parts[t.from.index], t)
			data, conn = data || d, conn || c
			if ev != nil {
				pending = append(pending, ev)
			}
		}
		take(first)
	drain:
		for range fleetBurst - 1 {
			select {
			case t := <-in:
				take(t)
			default:
				break drain
			}
		}
		if data || conn {
			seq++
			snap, changes := f.merge(seq, parts, data)
			f.snap.Store(snap)
			if !f.emit(ctx, SnapshotEvent{Snapshot: snap, Changes: changes}) {
				return
			}
			ev := ConnectionEvent{State: snap.Conn, LastSuccess: snap.LastSuccess, Err: fleetError(snap.Contexts)}
			for _, c := range snap.Contexts {
				if c.State != Live && !c.NextRetry.IsZero() && (ev.NextRetry.IsZero() || c.NextRetry.Before(ev.NextRetry)) {
					ev.NextRetry = c.NextRetry
				}
			}
			if conn || ev.State != lastConn.State {
				lastConn = ev
				if !f.emit(ctx, ev) {
					return
				}
			}
		}
		for _, ev := range pending {
			if !f.emit(ctx, ev) {
				return
			}
		}
		pending = pending[:0]
	}
}

// absorb records a member's event in its part and returns what it changed
// (data: its snapshot; conn: its connection) and the tagged event to pass
// on, if any.
func (f *Fleet) absorb(p *part, t tagged) (data, conn bool, out Event) {
	name := t.from.name
	switch e := t.ev.(type) {
	case SnapshotEvent:
		p.snap = e.Snapshot
		if p.state.State == Connecting {
			p.state.State = e.Snapshot.Conn
		}
		if e.Snapshot.LastSuccess.After(p.state.LastSuccess) {
			p.state.LastSuccess = e.Snapshot.LastSuccess
		}
		return true, false, nil
	case ConnectionEvent:
		p.state.State, p.state.Err, p.state.NextRetry = e.State, e.Err, e.NextRetry
		if e.LastSuccess.After(p.state.LastSuccess) {
			p.state.LastSuccess = e.LastSuccess
		}
		return false, true, nil
	case InteractionEvent:
		e.Request.Context = name
		return false, false, e
	case ActivitiesEvent:
		e.Context = name
		return false, false, e
	case LastActivityEvent:
		e.Context = name
		return false, false, e
	case CatalogEvent:
		e.Context = name
		f.learn(name, e)
		return false, false, e
	case ErrorEvent:
		e.Context = name
		return false, false, e
	}
	return false, false, t.ev
}

// merge builds the fleet's snapshot. When only connections changed, the
// previous merge's executions are reused (a copy of the struct with new
// Contexts, O(K)); else every context's snapshot is merged again.
func (f *Fleet) merge(seq uint64, parts []part, data bool) (*Snapshot, []Change) {
	prev := f.snap.Load()
	now := f.now()
	if !data && prev != nil {
		cp := *prev
		cp.Seq, cp.Taken = seq, now
		cp.Contexts = make([]ContextState, len(parts))
		for i, p := range parts {
			c := p.state
			old := prev.Contexts[i]
			c.Executions, c.Waiting, c.ActiveTotal, c.Duplicates = old.Executions, old.Waiting, old.ActiveTotal, old.Duplicates
			cp.Contexts[i] = c
		}
		cp.Conn, cp.LastSuccess, cp.StaleAfter = fleetConn(cp.Contexts)
		return &cp, nil
	}
	next := mergeSnapshots(seq, now, parts)
	return next, diff(prev, next)
}

// emit delivers an event unless ctx ends first.
func (f *Fleet) emit(ctx context.Context, ev Event) bool {
	select {
	case f.events <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}
