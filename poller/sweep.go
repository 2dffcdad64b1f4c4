package poller

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/agentop/agentop/api"
)

// sweeper is the state owned by the sweep loop.
type sweeper struct {
	p         *Poller
	seq       uint64
	active    map[string]api.Execution // from the last active listing
	terminal  map[string]api.Execution // recent terminal executions
	other     map[string]api.Execution // resolved individually: unknown statuses
	resolve   map[string]lookup        // ids to look up one by one
	questions map[string]api.InteractionRequest
	readAt    map[string]time.Time // when each question was last read
	initial   map[string]bool      // waiting at the first sweep
	lastTerm  time.Time            // last recent-terminal listing
	hurried   time.Time            // the last Nudge seen
	state     ConnState
	failures  int
	lastOK    time.Time // last successful sweep
	lastBeat  time.Time // last success reported
	bo        backoff
	cad       cadence
}

func (p *Poller) sweepLoop(ctx context.Context) {
	s := &sweeper{
		p:         p,
		active:    map[string]api.Execution{},
		terminal:  map[string]api.Execution{},
		other:     map[string]api.Execution{},
		resolve:   map[string]lookup{},
		questions: map[string]api.InteractionRequest{},
		readAt:    map[string]time.Time{},
		initial:   map[string]bool{},
		bo:        newBackoff(p.cfg.FastSweep, p.cfg.MaxBackoff),
		cad:       cadence{fast: p.cfg.FastSweep, slow: p.cfg.SlowSweep},
	}
	for {
		if h := p.lastHurry(); h.After(s.hurried) {
			s.hurried = h
			s.cad.hurry(h, p.cfg.HurryFor)
		}
		changed, err := s.round(ctx)
		if ctx.Err() != nil {
			return
		}
		var wait time.Duration
		if err != nil {
			wait = s.bo.fail(err)
			s.failed(ctx, err, wait)
		} else {
			s.bo.ok()
			wait = s.cad.next(p.cfg.Now(), changed)
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

// round runs one sweep and reports whether anything changed.
func (s *sweeper) round(ctx context.Context) (bool, error) {
	p := s.p
	now := p.cfg.Now()
	first := s.seq == 0

	active, total, err := s.listActive(ctx)
	if err != nil {
		return false, err
	}
	for id, e := range s.active {
		if _, still := active[id]; !still {
			s.resolve[id] = lookup{}
			// Until resolved it keeps its last known state.
			s.other[id] = e
		}
	}
	s.active = active
	for id := range active {
		delete(s.other, id)
		delete(s.resolve, id)
	}

	if first || now.Sub(s.lastTerm) >= p.cfg.TerminalSweep {
		if err := s.listTerminal(ctx); err != nil {
			return false, err
		}
		s.lastTerm = now
	}
	s.resolveSome(ctx)
	s.trimTerminal()
	s.readQuestions(ctx, now, s.hurried, first)

	execs := make([]api.Execution, 0, len(s.active)+len(s.terminal)+len(s.other))
	for _, m := range []map[string]api.Execution{s.active, s.terminal, s.other} {
		for _, e := range m {
			execs = append(execs, e)
		}
	}
	s.seq++
	snap := NewSnapshot(s.seq, now, execs, total, s.questions)
	prev := p.snap.Load()
	changes := diff(prev, snap)
	if prev != nil && len(changes) == 0 && sameWaiting(prev, snap) {
		s.succeeded(ctx, now)
		return false, nil
	}
	p.snap.Store(snap)
	if !p.emit(ctx, SnapshotEvent{Snapshot: snap, Changes: changes}) {
		return false, ctx.Err()
	}
	s.succeeded(ctx, now)
	return true, nil
}

// listActive pages through the non-terminal executions.
func (s *sweeper) listActive(ctx context.Context) (map[string]api.Execution, int, error) {
	cfg := s.p.cfg
	out := map[string]api.Execution{}
	q := api.ExecutionQuery{
		OrganizationID: cfg.OrganizationID,
		Statuses:       api.ActiveStatuses,
		PageSize:       cfg.PageSize,
		SortField:      "created_at",
		SortDirection:  api.SortDesc,
	}
	total := 0
	for page := 1; ; page++ {
		q.Page = page
		res, err := cfg.Backend.ListExecutions(ctx, q)
		if err != nil {
			return nil, 0, err
		}
		total = res.Total
		for _, e := range res.Items {
			out[e.ID] = e
		}
		if !res.HasMore() || len(out) >= cfg.MaxActive {
			return out, total, nil
		}
	}
}

// listTerminal merges the newest page of terminal executions.
func (s *sweeper) listTerminal(ctx context.Context) error {
	cfg := s.p.cfg
	size := cfg.KeepTerminal
	if size > cfg.PageSize {
		size = cfg.PageSize
	}
	res, err := cfg.Backend.ListExecutions(ctx, api.ExecutionQuery{
		OrganizationID: cfg.OrganizationID,
		Statuses:       api.TerminalStatuses,
		Page:           1,
		PageSize:       size,
		SortField:      "created_at",
		SortDirection:  api.SortDesc,
	})
	if err != nil {
		return err
	}
	for _, e := range res.Items {
		if _, isActive := s.active[e.ID]; isActive {
			continue // the active listing is newer
		}
		s.place(e)
		if _, queued := s.resolve[e.ID]; !queued && lagging(e) {
			s.resolve[e.ID] = lookup{}
		}
	}
	return nil
}

// place files an individually known execution under terminal or other.
func (s *sweeper) place(e api.Execution) {
	delete(s.other, e.ID)
	delete(s.terminal, e.ID)
	if e.Status.IsTerminal() {
		s.terminal[e.ID] = e
	} else {
		s.other[e.ID] = e
	}
}

// lagging reports whether an execution should be looked up again: completed
// without its result yet (the result may lag the status), or in a status the
// active listing does not cover.
func lagging(e api.Execution) bool {
	return (e.Status == api.StatusCompleted && e.Result == nil) || !e.Status.IsKnown()
}

// lookup is an execution to look up by itself: attempts so far, and the
// sweep from which the next one may run (failures space them out).
type lookup struct {
	attempts int
	next     uint64
}

// resolveSome looks up executions that left the active set, and lagging ones,
// a bounded number per sweep. A failing lookup is retried ever more rarely
// (up to every 32nd sweep) but not abandoned: an execution that left the
// active set must not stay on screen with its old status. Only a terminal
// execution still missing its result is given up on, after a few tries.
func (s *sweeper) resolveSome(ctx context.Context) {
	const giveUp = 8
	var ids []string
	for id, l := range s.resolve {
		if l.next <= s.seq {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids) // deterministic order
	if len(ids) > s.p.cfg.ResolveBatch {
		ids = ids[:s.p.cfg.ResolveBatch]
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			return
		}
		l := s.resolve[id]
		l.attempts++
		l.next = s.seq + uint64(min(1<<l.attempts, 32))
		e, err := s.p.cfg.Backend.GetExecution(ctx, id)
		switch {
		case errors.Is(err, api.ErrNotFound):
			delete(s.resolve, id)
			delete(s.other, id)
			delete(s.terminal, id)
			continue
		case err != nil:
			s.resolve[id] = l
			continue
		}
		if _, back := s.active[id]; !back {
			s.place(e)
		}
		if !lagging(e) || (e.Status.IsTerminal() && l.attempts >= giveUp) {
			delete(s.resolve, id)
			continue
		}
		s.resolve[id] = l
	}
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

// readQuestions keeps the question of every waiting execution current. It
// reads it when the execution starts waiting, again every QuestionEvery
// while it waits (an answer and a follow-up question can both happen between
// two sweeps) and after a Nudge, a bounded number per sweep: never-read ones
// first, longest-waiting first. A new question — the first read, another
// activity, or words where there was only the generic prompt — is announced
// once; Initial marks executions already waiting at the first sweep.
func (s *sweeper) readQuestions(ctx context.Context, now, hurried time.Time, first bool) {
	cfg := s.p.cfg
	for id := range s.questions {
		if e, ok := s.active[id]; !ok || !e.Status.NeedsHuman() {
			delete(s.questions, id)
			delete(s.readAt, id)
			delete(s.initial, id)
		}
	}
	var due []api.Execution
	for _, e := range s.active {
		if !e.Status.NeedsHuman() {
			continue
		}
		if first {
			s.initial[e.ID] = true
		}
		last, read := s.readAt[e.ID]
		if !read || now.Sub(last) >= cfg.QuestionEvery || last.Before(hurried) {
			due = append(due, e)
		}
	}
	sort.Slice(due, func(i, j int) bool {
		ri, rj := s.readAt[due[i].ID], s.readAt[due[j].ID]
		if ri.IsZero() != rj.IsZero() {
			return ri.IsZero()
		}
		return due[i].CreatedAt.Before(due[j].CreatedAt)
	})
	for i, e := range due {
		if i >= cfg.QuestionBatch || ctx.Err() != nil {
			return
		}
		prev, had := s.questions[e.ID]
		req, err := s.question(ctx, e, now)
		if err != nil {
			s.p.emit(ctx, ErrorEvent{Op: "read the agent's question", Err: err})
			if !had {
				// The generic prompt until a read succeeds (readAt stays
				// unset, so the next sweep tries first).
				s.questions[e.ID] = api.DeriveInteraction(e, nil, now)
			}
			continue
		}
		s.questions[e.ID], s.readAt[e.ID] = req, now
		news := !had || (prev.Fallback && !req.Fallback) || (!req.Fallback && req.ActivityID != prev.ActivityID)
		if news {
			s.p.emit(ctx, InteractionEvent{Request: req, Initial: s.initial[e.ID]})
		}
	}
}

// question reads e's question: the platform's own way where the backend is
// an api.Asker, else from its newest activities (api.DeriveInteraction).
func (s *sweeper) question(ctx context.Context, e api.Execution, now time.Time) (api.InteractionRequest, error) {
	return api.ReadInteraction(ctx, s.p.cfg.Backend, e, s.p.cfg.QuestionLimit, now)
}

// succeeded records a good sweep and reports the connection when it changed
// (or every few seconds, so "updated Ns ago" stays true).
func (s *sweeper) succeeded(ctx context.Context, now time.Time) {
	s.failures = 0
	s.lastOK = now
	if s.state == Live && now.Sub(s.lastBeat) < 5*time.Second {
		return
	}
	s.state, s.lastBeat = Live, now
	s.p.emit(ctx, ConnectionEvent{State: Live, LastSuccess: now})
}

// failed records a failed sweep.
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
	s.state = state
	now := s.p.cfg.Now()
	s.p.cfg.Logger.Warn("sweep failed", "err", err, "retry_in", wait)
	s.p.emit(ctx, ConnectionEvent{State: state, LastSuccess: s.lastOK, Err: err, NextRetry: now.Add(wait)})
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
