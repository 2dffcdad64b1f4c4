package poller

import (
	"context"
	"time"

	"github.com/agentop/agentop/api"
)

// slowSpec says which slow listings a background job runs.
type slowSpec struct {
	stamp   uint64    // the round that started it
	at      time.Time // when
	refresh time.Time // the Refresh it answers
	full    *api.ExecutionQuery
	term    *api.ExecutionQuery
	rng     *api.ExecutionQuery
}

// slowResult is what the job's listings returned.
type slowResult struct {
	spec            slowSpec
	full, term, rng listing
}

// slowDue reports which slow listings are due.
func (s *sweeper) slowDue(now time.Time, first bool) (slowSpec, bool) {
	cfg := s.p.cfg
	refresh := s.p.lastRefresh()
	spec := slowSpec{stamp: s.rounds, at: now, refresh: refresh}
	nudged := (s.hurried.After(s.nudgeListed) || s.recovered) && now.Sub(s.lastFull) >= cfg.NudgeFull
	if refresh.After(s.refreshed) {
		s.ranged = true // and look for every unresolved one again
	}
	if first || refresh.After(s.refreshed) || now.Sub(s.lastFull) >= s.fullEvery() || nudged {
		q := s.query(fullStatuses...)
		spec.full = &q
		s.nudgeListed, s.recovered = s.hurried, false
	}
	if first || now.Sub(s.lastTerm) >= cfg.TerminalSweep {
		q := s.query(api.TerminalStatuses...)
		q.PageSize = min(cfg.KeepTerminal, cfg.PageSize)
		spec.term = &q
	}
	if refresh.After(s.refreshed) {
		s.lastRange = time.Time{}
	}
	if q, ok := s.rangeQuery(now); ok {
		spec.rng = &q
	}
	return spec, spec.full != nil || spec.term != nil || spec.rng != nil
}

// fullEvery is the interval of the full listing: FullSweep, or SlowSweep
// while the active set fits in one page (one request then tells every
// change); for a listing of more than FullPages pages, stretched in
// proportion up to twice FullSweep, so that the safety net's requests stop
// growing with the fleet.
func (s *sweeper) fullEvery() time.Duration {
	cfg := s.p.cfg
	if s.fullTotal <= cfg.PageSize {
		return min(cfg.SlowSweep, cfg.FullSweep)
	}
	return stretch(cfg.FullSweep, s.fullPages, cfg.FullPages, 2*cfg.FullSweep)
}

// runSlow runs the job's listings. It touches no sweeper state.
func (p *Poller) runSlow(ctx context.Context, spec slowSpec) slowResult {
	r := slowResult{spec: spec}
	if spec.full != nil {
		r.full = p.listAll(ctx, *spec.full, p.cfg.MaxActive)
	}
	if spec.term != nil {
		r.term = p.listAll(ctx, *spec.term, spec.term.PageSize)
	}
	if spec.rng != nil {
		r.rng = p.listAll(ctx, *spec.rng, p.cfg.RangePages*p.cfg.PageSize)
	}
	return r
}

// applySlow takes in a job's results, but not over what a newer request saw
// (an execution touched after the job started keeps its newer record), and
// returns the first failure.
func (s *sweeper) applySlow(r slowResult) error {
	cfg := s.p.cfg
	stamp := r.spec.stamp
	fresh := func(id string) bool { return s.touched[id] <= stamp }
	var firstErr error
	note := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	if r.spec.full != nil {
		note(r.full.err)
		s.applyFull(r.full, fresh)
		if r.full.err == nil {
			s.fullTotal, s.fullPages = r.full.total, r.full.requests
		}
		if r.full.complete || r.full.total > cfg.MaxActive {
			s.lastFull, s.refreshed = r.spec.at, r.spec.refresh
		} else {
			s.lastFull = r.spec.at.Add(-cfg.FullSweep * 5 / 6) // again in a sixth of the interval
		}
	}
	if r.spec.term != nil {
		note(r.term.err)
		if r.term.err == nil {
			s.lastTerm = r.spec.at
		}
		s.applyTerminal(r.term, fresh)
	}
	if r.spec.rng != nil {
		note(r.rng.err)
		if r.rng.err != nil {
			s.ranged = true // again with the next job; what it found is kept
		}
		for _, e := range r.rng.items {
			if _, wanted := s.resolve[e.ID]; wanted && fresh(e.ID) {
				s.see(e)
			}
		}
		if r.rng.err == nil {
			// Not among the terminal ones listed (past the pages read, or
			// not terminal): next time; after three misses, forgotten —
			// gone from the active set, with an end never learnt (they were
			// not shown anyway). No lookup one by one for hidden rows.
			for id := range s.inRange {
				l, ok := s.resolve[id]
				if !ok {
					continue
				}
				if l.misses++; l.misses >= 3 {
					delete(s.resolve, id)
					delete(s.other, id)
					continue
				}
				s.resolve[id] = l
				s.ranged = true
			}
		}
		clear(s.inRange)
	}
	s.prune()
	return firstErr
}

// prune forgets touches of executions no longer known.
func (s *sweeper) prune() {
	if len(s.touched) <= 2*(len(s.active)+len(s.terminal)+len(s.other))+64 {
		return
	}
	for id := range s.touched {
		_, a := s.active[id]
		_, t := s.terminal[id]
		_, o := s.other[id]
		if !a && !t && !o {
			delete(s.touched, id)
		}
	}
}
