package poller

import (
	"context"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/agentop/agentop/api"
)

// sweeper is the state owned by the sweep loop.
//
// Each round (every FastSweep) it lists the executions waiting for a human
// — usually one page, whatever the fleet's size — and, on their own
// cadences, the executions created since the newest one it knows (adaptive,
// FastSweep … SlowSweep), every active execution (FullSweep: the safety net
// that sees other status changes and executions that ended), and the newest
// terminal ones (TerminalSweep). Executions that left the active set are
// resolved by listing terminal executions over their creation times, and
// one by one only for what that misses. Questions are read once per waiting
// spell (see questions.go).
type sweeper struct {
	p            *Poller
	seq          uint64
	active       map[string]api.Execution // believed non-terminal, as last seen
	terminal     map[string]api.Execution // recent terminal executions
	other        map[string]api.Execution // left the active set, not yet resolved
	resolve      map[string]lookup        // ids to resolve
	absent       map[string]int           // waiting ones missing from probes that moved while paged
	spells       map[string]*spell        // waiting executions and their questions
	newest       time.Time                // newest CreatedAt seen, for the new-executions listing
	capped       int                      // the active total when the full listing hit MaxActive, else 0
	partial      bool                     // the last full listing stopped at a cap: some active executions are not listed
	ranged       bool                     // departures were queued since the last resolving listing
	fullTotal    int                      // the total of the last full listing
	fullPages    int                      // the requests it took
	waitingTotal int                      // the total of the last waiting listing
	waitingPages int                      // the requests it took
	rounds       uint64                   // rounds so far
	touched      map[string]uint64        // execution id → the round that last saw it
	job          chan slowResult          // the slow listings in flight, or nil
	inRange      map[string]bool          // ids the resolving listing in flight looks for

	lastFull, lastTerm, nextNew time.Time
	lastRange                   time.Time // the last resolving listing
	hurried, refreshed          time.Time // the last Nudge and Refresh seen
	nudgeListed                 time.Time // the last Nudge a full listing answered
	recovered                   bool      // a clean round after failures: list everything soon
	lastPub                     time.Time
	newCad                      cadence
	questions, lookups          budget
	failures                    int
	bo                          backoff
}

func (p *Poller) sweepLoop(ctx context.Context) {
	cfg := p.cfg
	s := &sweeper{
		p:         p,
		active:    map[string]api.Execution{},
		terminal:  map[string]api.Execution{},
		other:     map[string]api.Execution{},
		resolve:   map[string]lookup{},
		absent:    map[string]int{},
		spells:    map[string]*spell{},
		touched:   map[string]uint64{},
		inRange:   map[string]bool{},
		newCad:    cadence{fast: cfg.SlowSweep, slow: 3 * cfg.SlowSweep},
		questions: newBudget(cfg.QuestionRate, cfg.QuestionBatch),
		lookups:   newBudget(cfg.ResolveRate, cfg.ResolveBatch),
		bo:        newBackoff(cfg.FastSweep, cfg.MaxBackoff),
	}
	for {
		if h := p.lastHurry(); h.After(s.hurried) {
			s.hurried = h
			s.newCad.hurry(h, cfg.HurryFor)
			s.nextNew = time.Time{}
		}
		began := time.Now()
		partial, err := s.round(ctx)
		if ctx.Err() != nil {
			return
		}
		var wait time.Duration
		if err != nil {
			wait = s.bo.fail(err)
			s.failed(ctx, err, wait)
		} else {
			if st := s.p.health.current(); partial == nil && st != Live && st != Connecting {
				s.recovered = true
			}
			s.bo.ok()
			// A round every FastSweep, however long the round took; every
			// SlowSweep while nothing runs (nothing can start waiting).
			every := s.fastEvery()
			if !s.anyRunning() && time.Since(s.hurried) > cfg.HurryFor {
				every = cfg.SlowSweep
			}
			wait = max(every-time.Since(began), every/10)
			s.succeeded(ctx, partial, wait)
		}
		// A nudge may cut a wait short, but not one the server asked for.
		wakeup := p.wakeSweep
		if err != nil && api.RetryAfterOf(err) > 0 {
			wakeup = nil
		}
		if !sleep(ctx, wait, wakeup) {
			return
		}
	}
}

// round runs one sweep. It fails (err) when the waiting listing fails
// outright; partial is the first failure of the other requests, which
// leave the picture as it was where they would have changed it.
//
// The waiting listing runs every round and its news is published at once.
// The slow listings (every active execution, the recent terminal ones, the
// resolving one) run in the background: at 2,000 executions they take
// seconds, and detection must not wait for them. Their results are applied
// in a later round, except where a newer request has seen an execution
// since (touched).
func (s *sweeper) round(ctx context.Context) (partial, err error) {
	p, cfg := s.p, s.p.cfg
	now := cfg.Now()
	first := s.seq == 0
	s.rounds++
	note := func(e error) {
		if e != nil && partial == nil {
			partial = e
		}
	}

	w := p.listAll(ctx, s.query(waitingStatuses...), cfg.MaxActive)
	if w.err != nil && len(w.items) == 0 {
		return nil, w.err
	}
	note(w.err)
	s.applyWaiting(w)
	s.track(first, now)
	if !first {
		// Who waits is news: out at once, before anything slower.
		s.publish(ctx, now, partial, false)
	}
	note(s.readQuestions(ctx, now))

	if s.job != nil {
		select {
		case r := <-s.job:
			s.job = nil
			note(s.applySlow(r))
		default:
		}
	}
	if s.job == nil {
		if spec, due := s.slowDue(now, first); due && first {
			r := p.runSlow(ctx, spec)
			for _, l := range []listing{r.full, r.term} {
				if l.err != nil && len(l.items) == 0 {
					return nil, l.err
				}
			}
			note(s.applySlow(r))
		} else if due {
			job := make(chan slowResult, 1)
			go func() { job <- p.runSlow(ctx, spec) }()
			s.job = job
		}
	}
	if !first && !now.Before(s.nextNew) {
		// New executions, and the newest and still-starting ones again
		// (every 5–15 s, at once after a Nudge): what started, and what a
		// short run did since, show before the next full listing.
		changed, err := s.listNew(ctx)
		note(err)
		s.nextNew = now.Add(s.newCad.next(now, changed))
	}
	for _, id := range p.takeLooks() {
		if _, known := s.terminal[id]; !known {
			s.resolve[id] = lookup{ready: true}
		}
		if sp := s.spells[id]; sp != nil {
			sp.stale = true // answered and asked again between two listings?
		}
	}
	note(s.resolveSome(ctx, now))
	s.trimTerminal()
	s.track(first, now)
	s.publish(ctx, now, partial, true)
	return partial, nil
}

// fastEvery is the interval of the rounds while something runs:
// FastSweep, stretched past WaitingPages pages of the waiting listing — the
// one request whose count grows with the fleet every round (a page per 100
// waiting at once, however little moved) — up to FastSweepMax, which keeps
// a new wait in the snapshot within 1.5 s.
func (s *sweeper) fastEvery() time.Duration {
	cfg := s.p.cfg
	return stretch(cfg.FastSweep, s.waitingPages, cfg.WaitingPages, max(cfg.FastSweepMax, cfg.FastSweep))
}

// anyRunning reports whether some execution could start waiting for a
// human: one running or starting (or in a status the poller does not know).
func (s *sweeper) anyRunning() bool {
	for _, e := range s.active {
		switch e.Status {
		case api.StatusPaused, api.StatusPausedByAgent, api.StatusAwaitingConfirmation:
		default:
			return true
		}
	}
	return false
}

// waitingStatuses are the statuses in which an execution waits for a
// person: a question (paused_by_agent) or an approval
// (awaiting_confirmation). The waiting listing asks for them every round.
var waitingStatuses = []api.Status{api.StatusPausedByAgent, api.StatusAwaitingConfirmation}

// fullStatuses are what the full listing asks for: the active statuses
// but the waiting ones, which the waiting listing reads every round (at
// 2,000 executions a quarter of the full listing's pages).
var fullStatuses = slices.DeleteFunc(slices.Clone(api.ActiveStatuses), func(st api.Status) bool {
	return slices.Contains(waitingStatuses, st)
})

// query selects executions in statuses, newest first, a full page at a time.
func (s *sweeper) query(statuses ...api.Status) api.ExecutionQuery {
	return api.ExecutionQuery{
		OrganizationID: s.p.cfg.OrganizationID,
		Statuses:       statuses,
		PageSize:       s.p.cfg.PageSize,
		SortField:      "created_at",
		SortDirection:  api.SortDesc,
	}
}

// see records an execution as a listing or lookup just returned it.
func (s *sweeper) see(e api.Execution) {
	s.touched[e.ID] = s.rounds
	if e.CreatedAt.After(s.newest) {
		s.newest = e.CreatedAt
	}
	delete(s.other, e.ID)
	if e.Status.IsTerminal() {
		delete(s.active, e.ID)
		s.terminal[e.ID] = e
		if _, queued := s.resolve[e.ID]; queued && !lagging(e) {
			delete(s.resolve, e.ID)
		}
		return
	}
	delete(s.terminal, e.ID)
	delete(s.resolve, e.ID)
	s.active[e.ID] = e
}

// applyWaiting takes in the waiting listing. An execution the listing saw
// waiting waits; one believed waiting that a complete listing no longer
// holds has left paused_by_agent and is shown running (the only way on that
// is not the end of the execution) until the next full listing or lookup
// says more. When the set moved while it was paged, an execution must be
// missing twice in a row before it is taken to have left: paging can skip
// an item that moved between pages.
func (s *sweeper) applyWaiting(w listing) {
	in := make(map[string]bool, len(w.items))
	for _, e := range w.items {
		in[e.ID] = true
		s.see(e)
	}
	if w.err == nil {
		s.waitingTotal, s.waitingPages = w.total, w.requests
	}
	if !w.complete {
		return
	}
	for id, e := range s.active {
		if !e.Status.AwaitsHuman() || in[id] {
			delete(s.absent, id)
			continue
		}
		if !w.consistent {
			if s.absent[id]++; s.absent[id] < 2 {
				continue
			}
		}
		delete(s.absent, id)
		e.Status, e.PlatformStatus = api.StatusRunning, ""
		s.active[id] = e
		s.touched[id] = s.rounds
	}
}

// applyFull takes in the listing of every active execution that does not
// wait (fullStatuses): what it holds is current; when complete, what it
// lacks has left the active set and is queued to be resolved (a false
// departure, paging having skipped an item that moved, is undone by the
// resolution) — unless it waits, which is the waiting listing's to say.
func (s *sweeper) applyFull(full listing, fresh func(id string) bool) {
	in := make(map[string]bool, len(full.items))
	for _, e := range full.items {
		in[e.ID] = true
		if fresh(e.ID) {
			s.see(e)
		}
	}
	s.capped = 0
	if total := full.total + s.waitingTotal; full.total > 0 && total > s.p.cfg.MaxActive {
		s.capped = total
	}
	if full.err == nil {
		s.partial = full.capped || s.capped > 0
	}
	if !full.complete {
		return
	}
	focus, _ := s.p.focus()
	for id, e := range s.active {
		if !in[id] && fresh(id) && !e.Status.AwaitsHuman() {
			delete(s.active, id)
			s.other[id] = e
			s.resolve[id] = lookup{ready: id == focus} // the focused one at once; the others together
			s.ranged = true
		}
	}
}

// listNew lists the executions created since the newest one known, in any
// status (a short one may have ended already) — and since the oldest one
// still starting, whose status is about to change (a few pages at most).
func (s *sweeper) listNew(ctx context.Context) (bool, error) {
	q := s.query()
	from := s.newest
	for _, e := range s.active {
		if e.Status == api.StatusStarting && !e.CreatedAt.IsZero() && e.CreatedAt.Before(from) {
			from = e.CreatedAt
		}
	}
	if !from.IsZero() {
		q.CreatedAfter = from.Add(-time.Millisecond) // and any created in the same millisecond
	}
	l := s.p.listAll(ctx, q, 3*s.p.cfg.PageSize)
	changed := false
	for _, e := range l.items {
		_, active := s.active[e.ID]
		_, ended := s.terminal[e.ID]
		if !active && !ended {
			changed = true
		}
		s.see(e)
	}
	return changed, l.err
}

// applyTerminal merges the newest page of terminal executions.
func (s *sweeper) applyTerminal(l listing, fresh func(id string) bool) {
	for _, e := range l.items {
		if _, isActive := s.active[e.ID]; isActive || !fresh(e.ID) {
			continue // the active listings are newer
		}
		s.see(e)
		if _, queued := s.resolve[e.ID]; !queued && lagging(e) {
			s.resolve[e.ID] = lookup{ready: true}
		}
	}
}

// lagging reports whether an execution should be looked up again: completed
// without its result yet (the result may lag the status), or in a status the
// active listing does not cover.
func lagging(e api.Execution) bool {
	return (e.Status == api.StatusCompleted && e.Result == nil) || !e.Status.IsKnown()
}

// lookup is an execution to resolve: attempts so far, and the sweep from
// which the next one may run (failures space them out).
type lookup struct {
	attempts int
	next     uint64
	ready    bool // to be looked up one by one (else only the resolving listing looks for it)
	misses   int  // resolving listings that did not find it
}

// resolveSome looks up, one by one within the ResolveRate budget, the
// executions that are ready for it: the focused one when it left the active
// set, those an operator acted on or the tailer saw end, lagging ones, and
// departures too few for a resolving listing (the others wait for it: see
// rangeQuery). A failing lookup is retried ever more rarely (up to every
// 32nd round) but not abandoned. Only a terminal execution still missing
// its result is given up on, after a few tries.
func (s *sweeper) resolveSome(ctx context.Context, now time.Time) error {
	const giveUp = 8
	cfg := s.p.cfg
	var due []string
	for id, l := range s.resolve {
		if l.ready && l.next <= s.rounds && !s.inRange[id] {
			due = append(due, id)
		}
	}
	sort.Strings(due) // deterministic order
	var firstErr error
	for _, id := range due {
		if ctx.Err() != nil || !s.lookups.take(now) {
			break
		}
		l := s.resolve[id]
		l.attempts++
		l.next = s.rounds + uint64(min(1<<l.attempts, 32))
		e, err := poll(ctx, cfg.PollTimeout, func(ctx context.Context) (api.Execution, error) {
			return cfg.Backend.GetExecution(ctx, id)
		})
		switch {
		case errors.Is(err, api.ErrNotFound):
			delete(s.resolve, id)
			delete(s.other, id)
			delete(s.terminal, id)
			continue
		case err != nil:
			s.resolve[id] = l
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		s.see(e)
		if !lagging(e) || (e.Status.IsTerminal() && l.attempts >= giveUp) {
			delete(s.resolve, id)
			continue
		}
		s.resolve[id] = l
	}
	return firstErr
}

// rangeQuery is the resolving listing, at most every TerminalSweep, when
// full listings found executions gone: the terminal executions created
// over their span of creation times, which settles most of them in a few
// pages instead of one lookup each. It marks them inRange; what it does not
// find is then looked up one by one. (Until resolved they are not shown:
// they are no longer active, and which end they met is not known yet.)
func (s *sweeper) rangeQuery(now time.Time) (api.ExecutionQuery, bool) {
	if !s.ranged {
		return api.ExecutionQuery{}, false
	}
	var lo, hi time.Time
	var ids []string
	for id, l := range s.resolve {
		e, ok := s.other[id]
		if !ok || e.CreatedAt.IsZero() || l.ready {
			continue
		}
		ids = append(ids, id)
		if lo.IsZero() || e.CreatedAt.Before(lo) {
			lo = e.CreatedAt
		}
		if e.CreatedAt.After(hi) {
			hi = e.CreatedAt
		}
	}
	if len(ids) < s.p.cfg.RangeResolve {
		// Too few for a listing: one by one, now.
		s.ranged = false
		for _, id := range ids {
			l := s.resolve[id]
			l.ready = true
			s.resolve[id] = l
		}
		return api.ExecutionQuery{}, false
	}
	if now.Sub(s.lastRange) < s.p.cfg.TerminalSweep {
		return api.ExecutionQuery{}, false
	}
	s.ranged, s.lastRange = false, now
	for _, id := range ids {
		s.inRange[id] = true
	}
	q := s.query(api.TerminalStatuses...)
	q.CreatedAfter, q.CreatedBefore = lo.Add(-time.Millisecond), hi.Add(time.Millisecond)
	return q, true
}

// trimTerminal keeps the newest KeepTerminal terminal executions.
func (s *sweeper) trimTerminal() {
	keep := s.p.cfg.KeepTerminal
	if len(s.terminal) <= keep {
		return
	}
	list := make([]api.Execution, 0, len(s.terminal))
	for _, e := range s.terminal {
		list = append(list, e)
	}
	ended := func(e api.Execution) time.Time {
		if !e.TerminalAt.IsZero() {
			return e.TerminalAt
		}
		return e.CreatedAt
	}
	sort.Slice(list, func(i, j int) bool { return ended(list[i]).After(ended(list[j])) })
	for _, e := range list[keep:] {
		delete(s.terminal, e.ID)
		delete(s.resolve, e.ID)
	}
}

// publish builds the snapshot and sends it when something changed, when
// the connection did, or (beat) often enough that its LastSuccess stays
// fresh. An execution a complete listing showed gone from the active set is
// not shown until it is resolved (its old status would be counted, and it
// is not that any more; its new one is not known yet) — but the focused
// one, whose feed is open, is shown as last seen.
func (s *sweeper) publish(ctx context.Context, now time.Time, partial error, beat bool) {
	p := s.p
	focus, _ := p.focus()
	execs := make([]api.Execution, 0, len(s.active)+len(s.terminal)+1)
	for _, m := range []map[string]api.Execution{s.active, s.terminal} {
		for _, e := range m {
			execs = append(execs, e)
		}
	}
	if e, ok := s.other[focus]; ok && !e.Status.NeedsHuman() {
		execs = append(execs, e)
	}
	s.seq++
	snap := NewSnapshot(s.seq, now, execs, max(len(s.active), s.capped), s.questionMap())
	snap.Conn, snap.LastSuccess, snap.StaleAfter = Live, now, p.cfg.StaleAfter
	snap.Partial = s.partial
	if partial != nil {
		snap.Conn = Degraded
	}
	prev := p.snap.Load()
	changes := diff(prev, snap)
	if prev != nil && len(changes) == 0 && sameWaiting(prev, snap) && prev.Conn == snap.Conn &&
		(!beat || now.Sub(s.lastPub) < p.cfg.StaleAfter/2) {
		s.seq--
		return
	}
	p.snap.Store(snap)
	s.lastPub = now
	p.emit(ctx, SnapshotEvent{Snapshot: snap, Changes: changes})
}

// succeeded records a round whose waiting listing answered; partial is the
// first failure of its other requests (the connection is then degraded).
func (s *sweeper) succeeded(ctx context.Context, partial error, wait time.Duration) {
	s.failures = 0
	now := s.p.cfg.Now()
	if partial != nil {
		s.p.cfg.Logger.Debug("sweep partly failed", "err", partial)
		s.p.health.report(ctx, s.p, ConnectionEvent{State: Degraded, LastSuccess: now, Err: partial, NextRetry: now.Add(wait)}, true)
		return
	}
	s.p.health.report(ctx, s.p, ConnectionEvent{State: Live, LastSuccess: now}, true)
}

// failed records a failed round.
func (s *sweeper) failed(ctx context.Context, err error, wait time.Duration) {
	s.failures++
	state := Degraded
	switch api.KindOf(err) {
	case api.KindUnauthorized, api.KindForbidden, api.KindNetwork, api.KindInsecure:
		state = Offline
	}
	if s.failures >= 3 {
		state = Offline
	}
	now := s.p.cfg.Now()
	s.p.cfg.Logger.Warn("sweep failed", "err", err, "retry_in", wait)
	s.p.health.report(ctx, s.p, ConnectionEvent{State: state, Err: err, NextRetry: now.Add(wait)}, false)
}

// sameWaiting reports whether two snapshots have the same open questions.
func sameWaiting(a, b *Snapshot) bool {
	if len(a.Waiting) != len(b.Waiting) {
		return false
	}
	for i := range a.Waiting {
		if a.Waiting[i] != b.Waiting[i] {
			return false
		}
	}
	return true
}
