// Package tui is agentop's live dashboard: one Bubble Tea v2 program fed by
// the poller. The root Model is the router and the chrome; the views of the
// registry (views.go) are panes of the contract in tui/internal/pane —
// plain structs with methods (no nested tea.Models), rendered only for what
// is visible.
//
// Rules kept throughout: Update does no I/O and no work that grows with the
// fleet or the feed (derived lists are built in Cmds and tagged with a
// generation); Cmds capture values and never touch the model; every string
// from the platform is sanitised before it is drawn; a focused text input
// receives every key.
package tui

import (
	"log/slog"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/theme"
)

// Source is the part of the poller the dashboard drives. Focus and
// SetVisible carry the caller's generation: Cmds run concurrently, so calls
// may arrive out of order, and an older one must lose.
type Source = kit.Poller

// Notify chooses how a new question from an agent is announced.
type Notify string

// Notification modes.
const (
	NotifyBell   Notify = "bell"   // BEL: most terminals flash or beep
	NotifyOSC9   Notify = "osc9"   // OSC 9 desktop notification (iTerm2, WezTerm, kitty, foot …)
	NotifyOSC777 Notify = "osc777" // OSC 777 notify (rxvt-unicode, Ghostty, some VTE terminals)
	NotifyNone   Notify = "none"
)

// Options configure the dashboard.
type Options struct {
	Backend      api.Backend
	Context      string // the context name shown in the header
	Organization string // organization id, for execute and the header
	BaseURL      string // its host is shown in the header (not for the demo)
	Demo         bool   // talking to the built-in simulator: show the DEMO badge
	ReadOnly     bool   // remove every mutating action
	Theme        theme.Theme
	Keys         map[string][]string // key overrides by action name
	Notify       Notify
	StateDir     string // where drafts are kept ($XDG_STATE_HOME/agentop); "" disables persistence
	FeedLimit    int    // entries kept per execution feed; default 5000
	Logger       *slog.Logger
	Now          func() time.Time // clock for tests; default time.Now
	Poll         poller.Config    // cadences; Backend and OrganizationID are filled in
	// Fleet, when it has two or more contexts, shows them all at once: one
	// poller each (poller.Fleet), merged; every action goes to the
	// execution's context with its backend and read-only setting. Backend,
	// Organization and ReadOnly are then ignored (ReadOnly is each
	// context's), and Context names the fleet in the header.
	Fleet    []FleetContext
	Commands []Command         // custom commands on the selected execution (config commands:)
	Filters  map[string]string // saved filters by name (config filters:); ":name" applies one
}

// Command is a custom command (see config.Command).
type Command struct {
	Name, Key, Description string
	Run                    []string
	Interactive, Safe      bool
}

func (o *Options) defaults() {
	if o.FeedLimit <= 0 {
		o.FeedLimit = 5000
	}
	if o.Notify == "" {
		o.Notify = NotifyBell
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Theme.Name == "" {
		o.Theme, _ = theme.Lookup("default")
	}
}
