package poller

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrStale is the connection's error when no sweep has succeeded for longer
// than Config.StaleAfter, whatever the requests are doing (hanging, say).
var ErrStale = errors.New("no fresh data: the last successful sweep is too old")

// health is the connection as reported to the UI; the sweeper and the
// watchdog both report through it.
type health struct {
	mu       sync.Mutex
	state    ConnState
	lastOK   time.Time
	lastBeat time.Time
}

// report emits ev: after a failed sweep always; after one that succeeded
// (ok, which moves LastSuccess on), when the state changed or every few
// seconds (so "updated Ns ago" stays true).
func (h *health) report(ctx context.Context, p *Poller, ev ConnectionEvent, ok bool) {
	h.mu.Lock()
	now := p.cfg.Now()
	if ok {
		h.lastOK = now
	}
	ev.LastSuccess = h.lastOK
	// A failed sweep always reports (its retry time is news); a good or
	// partly good one only when the state changes, or every few seconds.
	if ok && ev.State == h.state && now.Sub(h.lastBeat) < 5*time.Second {
		h.mu.Unlock()
		return
	}
	h.state, h.lastBeat = ev.State, now
	h.mu.Unlock()
	p.emit(ctx, ev)
}

// current is the state last reported.
func (h *health) current() ConnState {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.state
}

// watch reports the connection degraded once the data is older than
// StaleAfter while the state still says live: a sweep stuck in requests
// must not leave the header saying "live".
func (p *Poller) watch(ctx context.Context) {
	every := max(p.cfg.StaleAfter/4, time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		h := &p.health
		h.mu.Lock()
		now := p.cfg.Now()
		stale := h.state == Live && !h.lastOK.IsZero() && now.Sub(h.lastOK) > p.cfg.StaleAfter
		var ev ConnectionEvent
		if stale {
			h.state, h.lastBeat = Degraded, now
			ev = ConnectionEvent{State: Degraded, LastSuccess: h.lastOK, Err: ErrStale}
		}
		h.mu.Unlock()
		if stale && !p.emit(ctx, ev) {
			return
		}
	}
}
