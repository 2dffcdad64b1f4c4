package tui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/crash"
)

// Run starts the dashboard on the terminal and returns when the operator
// quits or ctx ends. It polls opts.Backend with a poller whose events a
// forwarder delivers into the program in coalesced bursts; everything stops
// with the program.
func Run(ctx context.Context, opts Options) error {
	opts.defaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var p polling
	if len(opts.Fleet) > 0 {
		f, err := newFleetPolling(&opts)
		if err != nil {
			return err
		}
		p = f
	} else {
		if opts.Backend == nil {
			return errors.New("tui: no backend")
		}
		pollCfg := opts.Poll
		pollCfg.Backend = opts.Backend
		pollCfg.OrganizationID = opts.Organization
		if pollCfg.Logger == nil {
			pollCfg.Logger = opts.Logger
		}
		p = poller.New(pollCfg)
	}

	m := New(ctx, opts, p)
	if err := m.OverrideKeys(opts.Keys); err != nil {
		return err
	}
	if err := m.AddCommands(opts.Commands); err != nil {
		return err
	}
	prog := tea.NewProgram(m, tea.WithContext(ctx), tea.WithFPS(30))
	// A panic in one of our goroutines stops the program (which restores
	// the terminal); Bubble Tea catches those of its loop and Cmds itself.
	guard := crash.New(prog.Kill)

	done := make(chan struct{})
	guard.Go("poller", func() {
		defer close(done)
		_ = p.Run(ctx)
	})
	guard.Go("event forwarder", func() { forward(ctx, p.Events(), prog.Send, 150*time.Millisecond) })
	guard.InjectOnSignal(ctx.Done())

	final, err := prog.Run()
	stopped := ctx.Err() != nil // ended by our caller (a signal), not by a crash
	cancel()
	<-done
	return finish(m, final, err, stopped, guard.Panic())
}

// polling is a Poller or a Fleet: what Run starts and the dashboard drives.
type polling interface {
	Source
	Events() <-chan poller.Event
	Run(ctx context.Context) error
}

// forward delivers poller events to the program. It waits up to window
// after the first event of a burst, then sends the burst coalesced into one
// message, so a flood of activities becomes a few updates. It stops when the
// events channel closes or ctx ends.
func forward(ctx context.Context, events <-chan poller.Event, send func(tea.Msg), window time.Duration) {
	for {
		var batch []poller.Event
		select {
		case ev, ok := <-events:
			if !ok {
				return
			}
			batch = append(batch, ev)
		case <-ctx.Done():
			return
		}
		timer := time.NewTimer(window)
	collect:
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					break collect
				}
				batch = append(batch, ev)
			case <-timer.C:
				break collect
			case <-ctx.Done():
				timer.Stop()
				return
			}
		}
		timer.Stop()
		send(PollMsg(poller.Coalesce(batch)))
	}
}
