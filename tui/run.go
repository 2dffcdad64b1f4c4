package tui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/poller"
)

// Run starts the dashboard on the terminal and returns when the operator
// quits or ctx ends. It polls opts.Backend with a poller whose events a
// forwarder delivers into the program in coalesced bursts; everything stops
// with the program.
func Run(ctx context.Context, opts Options) error {
	opts.defaults()
	if opts.Backend == nil {
		return errors.New("tui: no backend")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	pollCfg := opts.Poll
	pollCfg.Backend = opts.Backend
	pollCfg.OrganizationID = opts.Organization
	if pollCfg.Logger == nil {
		pollCfg.Logger = opts.Logger
	}
	p := poller.New(pollCfg)

	m := New(ctx, opts, p)
	if err := m.OverrideKeys(opts.Keys); err != nil {
		return err
	}
	prog := tea.NewProgram(m, tea.WithContext(ctx), tea.WithFPS(30))

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = p.Run(ctx)
	}()
	go forward(ctx, p.Events(), prog.Send, 150*time.Millisecond)

	final, err := prog.Run()
	stopped := ctx.Err() != nil // ended by our caller (a signal), not by a crash
	cancel()
	<-done
	// Whatever happened, keep what was typed.
	if fm, ok := final.(*Model); ok {
		if serr := fm.SaveDrafts(); serr != nil && err == nil {
			err = fmt.Errorf("saving drafts: %w", serr)
		}
	}
	if errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrProgramPanic) && stopped {
		return nil
	}
	return err
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
