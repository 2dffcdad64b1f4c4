package kit

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
)

// Timeout bounds an operator action's request.
const Timeout = 20 * time.Second

// Poller is the part of the poller the dashboard drives (tui.Source). Focus
// and SetVisible carry the caller's generation: Cmds run concurrently, so
// calls may arrive out of order, and an older one must lose.
type Poller interface {
	Focus(id string, gen uint64)
	SetVisible(ids []string, gen uint64)
	Nudge()
	Refresh()
}

// Tell returns the Cmd that tells the poller something (nil without one):
// the one way a pane reaches the poller. The call captures its values.
func Tell(p Poller, call func(Poller)) tea.Cmd {
	if p == nil {
		return nil
	}
	return func() tea.Msg { call(p); return nil }
}

// Nudge asks the poller to look again now and stay fast for a while.
func Nudge(p Poller) tea.Cmd { return Tell(p, Poller.Nudge) }

// Refresh asks the poller for everything again (the catalog too).
func Refresh(p Poller) tea.Cmd { return Tell(p, Poller.Refresh) }

// Call runs a platform request in a Cmd with a timeout under parent and
// turns its outcome into a message.
func Call(parent context.Context, b api.Backend, timeout time.Duration, do func(context.Context, api.Backend) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		c, cancel := context.WithTimeout(parent, timeout)
		defer cancel()
		return do(c, b)
	}
}

// OpenBrowser opens url in the default browser; the launcher's output is
// discarded so it cannot draw over the dashboard. fail turns an error into
// the message reported.
func OpenBrowser(parent context.Context, url string, fail func(error) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		name, args := "xdg-open", []string{url}
		switch runtime.GOOS {
		case "darwin":
			name = "open"
		case "windows":
			name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
		}
		c, cancel := context.WithTimeout(parent, 30*time.Second)
		defer cancel()
		// Output is discarded (nil Stdout/Stderr): nothing draws over the screen.
		if err := exec.CommandContext(c, name, args...).Run(); err != nil {
			if errors.Is(err, exec.ErrNotFound) {
				return fail(fmt.Errorf("there is no %s here to open a browser with", name))
			}
			return fail(fmt.Errorf("%s failed (%v): no browser is set up for it", name, err))
		}
		return nil
	}
}

// Done reports the end of an operator action; the root flashes it and asks
// the poller to look again.
type Done struct {
	Done    string // past tense for the flash: "Paused 3f2a9c1e."
	What    string // for a failure: "pause 3f2a9c1e"
	Err     error
	Catalog bool // the catalog (profiles …) changed: refresh it too
}

// Act performs a mutating call in a Cmd with a timeout and reports it as a
// Done.
func Act(parent context.Context, b api.Backend, what, done string, catalog bool, call func(context.Context, api.Backend) error) tea.Cmd {
	return Call(parent, b, Timeout, func(c context.Context, b api.Backend) tea.Msg {
		return Done{Done: done, What: what, Err: call(c, b), Catalog: catalog}
	})
}
