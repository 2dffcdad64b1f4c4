package poller

import (
	"context"
	"time"

	"github.com/agentop/agentop/api"
)

// pushRetry is how long the push loop waits before following a stream
// again after it broke.
const pushRetry = 5 * time.Second

// pushLoop follows the focused execution's stream where the backend can
// push (api.Watcher): when the stream reports a new status, the execution
// is looked up at once and a sweep runs, instead of at the next cadence.
// The lookup, not the stream, changes the snapshot: polling stays the
// source of truth, and a backend without a stream costs nothing.
func (p *Poller) pushLoop(ctx context.Context) {
	w, ok := p.cfg.Backend.(api.Watcher)
	if !ok {
		return
	}
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	cur, stop := "", func() {}
	defer func() { stop() }()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		id, _ := p.focus()
		if id == cur {
			continue
		}
		stop()
		cur, stop = id, func() {}
		if id != "" {
			fctx, cancel := context.WithCancel(ctx)
			stop = cancel
			go p.follow(fctx, w, id)
		}
	}
}

// follow watches one execution until it ends, ctx is done, or the backend
// says it has no stream for it.
func (p *Poller) follow(ctx context.Context, w api.Watcher, id string) {
	var last api.Status
	for ctx.Err() == nil {
		err := w.Watch(ctx, id, func(e api.Execution) bool {
			if last != "" && e.Status != last {
				p.NudgeFor(id)
			}
			last = e.Status
			return true
		})
		switch k := api.KindOf(err); {
		case err == nil && last.IsTerminal(), k == api.KindUnsupported, k == api.KindNotFound:
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pushRetry):
		}
	}
}
