package poller

import (
	"context"
	"errors"
	"time"

	"github.com/agentop/agentop/api"
)

// tail is the tail loop's state for one focus.
type tail struct {
	id       string
	gen      uint64
	seen     idSet
	loaded   bool // the first load was delivered
	ending   bool // terminal seen: one more (final) fetch, then stop
	done     bool // final fetch delivered
	failures int
}

func (p *Poller) tailLoop(ctx context.Context) {
	var t tail
	bo := newBackoff(p.cfg.FastTail, p.cfg.MaxBackoff)
	cad := cadence{fast: p.cfg.FastTail, slow: p.cfg.SlowTail}
	var hurried time.Time
	for {
		id, gen := p.focus()
		if gen != t.gen {
			t = tail{id: id, gen: gen, seen: newIDSet(4 * p.cfg.MaxTailLimit)}
			bo.ok()
			cad.hurry(p.cfg.Now(), p.cfg.HurryFor)
		}
		if h := p.lastHurry(); h.After(hurried) {
			hurried = h
			cad.hurry(h, p.cfg.HurryFor)
		}
		if id == "" || t.done {
			// Nothing to follow until the focus changes.
			if !sleep(ctx, time.Hour, p.wakeTail) {
				return
			}
			continue
		}
		changed, err := p.tailOnce(ctx, &t)
		if ctx.Err() != nil {
			return
		}
		var wait time.Duration
		switch {
		case err != nil:
			wait = bo.fail(err)
			t.failures++
			if t.failures == 1 || t.failures%10 == 0 {
				p.emit(ctx, ErrorEvent{Op: "follow activities", Err: err, Focus: t.gen})
			}
			if errors.Is(err, api.ErrNotFound) {
				t.done = true
			}
		case t.ending && !t.done:
			// Terminal: fetch once more soon, in case the last entries
			// were still being written.
			wait = p.cfg.FastTail
		default:
			bo.ok()
			t.failures = 0
			wait = cad.next(p.cfg.Now(), changed)
		}
		if !sleep(ctx, wait, p.wakeTail) {
			return
		}
	}
}

// tailOnce fetches the newest activities of the focus and emits the new ones.
func (p *Poller) tailOnce(ctx context.Context, t *tail) (bool, error) {
	final := t.ending
	limit := p.cfg.TailLimit
	acts, err := poll(ctx, p.cfg.PollTimeout, func(ctx context.Context) ([]api.Activity, error) {
		return p.cfg.Backend.Activities(ctx, t.id, api.ActivityQuery{Order: api.SortDesc, Limit: limit})
	})
	if err != nil {
		return false, err
	}
	gap := false
	if t.loaded && len(acts) >= limit && !t.seen.anyOf(acts) {
		// More arrived than one window holds: widen once.
		wide := limit * 4
		if wide > p.cfg.MaxTailLimit {
			wide = p.cfg.MaxTailLimit
		}
		if wide > limit {
			more, err := poll(ctx, p.cfg.PollTimeout, func(ctx context.Context) ([]api.Activity, error) {
				return p.cfg.Backend.Activities(ctx, t.id, api.ActivityQuery{Order: api.SortDesc, Limit: wide})
			})
			if err != nil {
				return false, err
			}
			acts, limit = more, wide
		}
		gap = len(acts) >= limit && !t.seen.anyOf(acts)
	}
	if _, gen := p.focus(); gen != t.gen {
		return false, nil // the focus moved while we fetched: drop
	}

	// Newest first → oldest first, keeping only unseen ones.
	fresh := make([]api.Activity, 0, len(acts))
	for i := len(acts) - 1; i >= 0; i-- {
		a := acts[i]
		if t.seen.has(a.Revision()) {
			continue
		}
		t.seen.add(a.Revision())
		fresh = append(fresh, a)
		if endsExecution(a) {
			t.ending = true
			p.look(t.id)
		}
	}
	if e, ok := p.Snapshot().Get(t.id); ok && e.Status.IsTerminal() {
		t.ending = true
	}
	if t.loaded && len(fresh) == 0 && !final {
		return false, nil
	}
	ev := ActivitiesEvent{ExecutionID: t.id, Focus: t.gen, Activities: fresh, Reset: !t.loaded, Gap: gap, Final: final,
		Older: !t.loaded && len(acts) >= limit}
	t.loaded = true
	if final {
		t.done = true
	}
	if !p.emit(ctx, ev) {
		return false, ctx.Err()
	}
	return len(fresh) > 0, nil
}

// endsExecution reports whether an activity says the execution is over.
func endsExecution(a api.Activity) bool {
	return a.Kind == api.KindStatusChanged && a.Status.IsTerminal()
}

// idSet remembers up to max ids, forgetting the oldest.
type idSet struct {
	ids  map[string]struct{}
	ring []string
	next int
}

func newIDSet(max int) idSet {
	return idSet{ids: make(map[string]struct{}, max), ring: make([]string, 0, max)}
}

func (s *idSet) has(id string) bool { _, ok := s.ids[id]; return ok }

func (s *idSet) add(id string) {
	if s.has(id) {
		return
	}
	if len(s.ring) < cap(s.ring) {
		s.ring = append(s.ring, id)
	} else {
		delete(s.ids, s.ring[s.next])
		s.ring[s.next] = id
		s.next = (s.next + 1) % len(s.ring)
	}
	s.ids[id] = struct{}{}
}

// anyOf reports whether any of acts is known.
func (s *idSet) anyOf(acts []api.Activity) bool {
	for _, a := range acts {
		if s.has(a.Revision()) {
			return true
		}
	}
	return false
}
