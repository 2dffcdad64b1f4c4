// Package pane is the contract between the dashboard's root and the views
// and panes it shows. Read CONTRIBUTING.md next to this file before adding
// a view or a pane.
package pane

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/drafts"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/theme"
)

// Pane is a part of the screen with its own state. The root calls it from
// Update only; none of its methods does I/O (requests go in returned Cmds).
type Pane interface {
	// HandleKey handles a key when the pane has the keyboard; handled
	// false lets the root try its fallbacks.
	HandleKey(k tea.KeyPressMsg) (cmd tea.Cmd, handled bool)
	// HandleMsg takes the pane's own async results (addressed To it),
	// poller bursts (PollMsg), Changed notices, Started (once), Shown (it
	// became the current view), tea.WindowSizeMsg and, while Capturing,
	// pastes. Ignore what is not yours.
	HandleMsg(msg tea.Msg) tea.Cmd
	// SetSize gives the pane its area; called after every Update (keep it
	// O(1)).
	SetSize(w, h int)
	SetFocused(focused bool)
	// Render returns exactly h lines of exactly w cells: only what is
	// visible, from caches where rows are costly.
	Render() []string
	// ShortHelp is the footer's help while the pane has the keyboard.
	ShortHelp() []key.Binding
	// Capturing reports a focused text box: it then receives every key
	// but ctrl+c, so typing q, ?, : or / types them.
	Capturing() bool
}

// View is a top-level pane: a tab with a number key and ":" names.
type View interface {
	Pane
	About() Info
	Available(api.Capabilities) bool
}

// Info names a view. The registry's order is the tab order.
type Info struct {
	Name    string   // ":name", and the key action "view-<name>"
	Aliases []string // other ":" names
	Title   string   // the tab's label
	Key     string   // the number key
	KeyHelp string   // help text of that key
	// Needs is what the platform must be able to do for the view to show
	// (nil: always).
	Needs func(api.Capabilities) bool
}

// About returns the view's names (embed Info to get it).
func (i Info) About() Info { return i }

// Available reports whether the platform has what the view needs.
func (i Info) Available(c api.Capabilities) bool { return i.Needs == nil || i.Needs(c) }

// Spec is a registry entry: a view's names and how to build it.
type Spec struct {
	Info
	New func(*Context) View
}

// Filterable is a view with a filter line ("/"): the root opens the line
// with Filter and applies every edit with SetFilter.
type Filterable interface {
	Filter() string
	SetFilter(text string) tea.Cmd
}

// Searchable is a view with a search line (the feed's "/").
type Searchable interface {
	Query() string
	SetQuery(text string) tea.Cmd
}

// Shower is a view that can bring something to the operator (the
// executions view: an execution, an agent's executions, the next question).
type Shower interface {
	// Show returns whether it shows t; the root then makes it current.
	Show(Target) (tea.Cmd, bool)
}

// Badger is a view whose tab carries a badge, e.g. " (2)".
type Badger interface{ Badge() string }

// Keeper is a view holding what the operator typed: Keep saves it in a
// Cmd (before quitting), KeepNow after the program has ended.
type Keeper interface {
	Keep() tea.Cmd
	KeepNow() error
}

// Target is what Show brings up.
type Target struct {
	Execution   string // select this execution (clearing filters that hide it)
	Agent       string // or: show this agent's executions
	Reply       bool   // then open the reply box for it
	NextWaiting bool   // or: the next execution waiting for a human
}

// Overlay is a layer over the body that takes every key while open (a
// dialog, a form, help, a page). It never reaches into the root: it
// returns what should happen, as crush's dialogs return an Action.
type Overlay interface {
	// Update takes keys, pastes and the results of its own Cmds.
	Update(msg tea.Msg) (Action, tea.Cmd)
	SetSize(w, h int)
	Render() []string
}

// Action is what an overlay asks of the root after a message.
type Action int

// Actions.
const (
	Stay  Action = iota // keep the overlay open
	Close               // close it
)

// Host is the root, as panes may use it (from Update only).
type Host interface {
	Flash(level Level, text string)
	// Open shows an overlay (its size is set at once).
	Open(Overlay)
	// Show switches to the view that can show t (see Shower).
	Show(t Target) tea.Cmd
	// Line opens the line input for the current view: the filter or the
	// search, with its current text.
	Line(kind LineKind) tea.Cmd
	// Broadcast delivers msg to every view's HandleMsg once the current
	// message is handled (a Changed notice).
	Broadcast(msg tea.Msg)
}

// Level is a flash's severity.
type Level int

// Levels.
const (
	Note Level = iota
	Warn
	Err
)

// LineKind is what the line input is for.
type LineKind int

// Line kinds.
const (
	NoLine      LineKind = iota
	LineFilter           // filter the current view
	LineSearch           // search the feed
	LineCommand          // ":" switch view
)

// Line is the line input while it is open (Kind NoLine otherwise); a pane
// that shows it (the feed's search) renders Input.View().
type Line struct {
	Kind  LineKind
	Input *textinput.Model
}

// Catalog is the platform's agents, profiles and pools.
type Catalog struct {
	Agents   []api.Agent
	Profiles []api.Profile
	Pools    []api.ProfilePool
	Versions []api.AgentVersion // agents' configuration versions, where the platform has them
	// Environments and Deployments are where agents are deployed, where the
	// platform has them.
	Environments []api.Environment
	Deployments  []api.Deployment
	Loaded       bool // a catalog arrived
	// AgentContexts is, in a fleet, the context of each of Agents (nil
	// outside a fleet).
	AgentContexts []string
}

// AgentRow is one agent with its counts in the current snapshot.
type AgentRow struct {
	ID, Name, Description string
	Status                string // the platform's word for the agent (api.Agent.Status), "" where it has none
	Context               string // in a fleet, the agent's context
	Stats                 poller.AgentStats
	// Spark is the runs that ended in each of the last hours, oldest
	// first, as a sparkline; OK is the share of them that succeeded, in
	// percent (-1: none ended). Built with the rows, off the loop.
	Spark string
	OK    int
}

// OKText is OK as shown: "83%", or "—" when none of the runs ended.
func (r AgentRow) OKText() string {
	if r.OK < 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", r.OK)
}

// Label is the agent's name, after its context's in a fleet
// ("ops/Deploy bot"). Unsanitised, as the names are.
func (r AgentRow) Label() string {
	if r.Context == "" {
		return r.Name
	}
	return r.Context + "/" + r.Name
}

// Data names shared data a Changed notice is about.
type Data int

// Data.
const (
	DataAgents   Data = 1 << iota // Context.Agents was rebuilt
	DataWaiting                   // the open questions changed
	DataCatalog                   // Context.Catalog changed
	DataKeys                      // the keymap was overridden (rebind text boxes)
	DataMessages                  // Context.Messages has a new message
)

// Command is a custom command on the selected execution (config
// commands:): Run's arguments are templates over the execution, run
// without a shell; Action is its key binding (in help; off in read-only
// unless the command is marked safe).
type Command struct {
	Name        string
	Run         []string
	Interactive bool
	Action      *keys.Action
}

// Message is one flash, as the messages view lists it.
type Message struct {
	At    time.Time
	Level Level
	Text  string
}

// Started is delivered to every view when the program starts (load what
// was saved).
type Started struct{}

// Shown is delivered to a view when it becomes the current one.
type Shown struct{}

// Changed tells every view that shared data in the Context changed.
type Changed struct{ Data Data }

// To addresses a result to the view with that name: the root delivers Msg
// to that view's HandleMsg only (gh-dash's SectionMsg). Panes tag their
// results with a generation or id and drop stale ones.
type To struct {
	View string
	Msg  tea.Msg
}

// Send wraps a Cmd so that its message is addressed to view.
func Send(view string, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		if msg == nil {
			return nil
		}
		return To{View: view, Msg: msg}
	}
}

// PollMsg delivers a coalesced burst of poller events.
type PollMsg []poller.Event

// Context is what a pane sees. The root owns it and updates it in place
// (Now, Snap, Catalog, Line); panes keep a pointer and
// read it, never write it, except the executions view, which publishes
// Agents.
type Context struct {
	Styles       *theme.Styles
	Keys         *keys.KeyMap
	Caps         api.Capabilities
	ReadOnly     bool
	Organization string
	// ContextName is the context shown, outside a fleet (in a fleet each
	// execution names its own: api.Execution.Context).
	ContextName string
	FeedLimit   int
	Drafts      *drafts.Store
	// Fleet lists the contexts when the dashboard shows several at once,
	// in their order (nil for one context); Caps is then what at least one
	// of them can do, and CapsFor an execution's own context's.
	Fleet []FleetContext

	Now  time.Time
	Snap *poller.Snapshot       // nil until the first snapshot
	Conn poller.ConnectionEvent // the connection, as last reported
	// Messages is every flash, oldest first (the newest few hundred); a
	// new one replaces the slice, so a captured one never changes.
	Messages []Message
	// Commands are the config's custom commands on the selected execution;
	// Filters its saved filters by name.
	Commands []Command
	Filters  map[string]string
	Catalog  Catalog
	Agents   []AgentRow // rebuilt with the executions rows, off the loop
	Line     Line

	Host Host

	// For Cmds only: capture them into a Cmd, never call them in Update.
	Ctx     context.Context
	Backend api.Backend
	Source  kit.Poller
}

// Flash is Host.Flash.
func (c *Context) Flash(level Level, text string) { c.Host.Flash(level, text) }

// CapsFor is what the platform can do with execution e: the platform's
// capabilities narrowed to e's kind of run. Actions on one execution ask
// it, not Caps. In a fleet they are those of e's context (none that
// mutate when it is read-only).
func (c *Context) CapsFor(e api.Execution) api.Capabilities {
	if fc, ok := c.ContextNamed(e.Context); ok {
		return fc.Caps.For(e.Kind)
	}
	return c.Caps.For(e.Kind)
}

// FleetContext is one context of a fleet dashboard.
type FleetContext struct {
	Name, Platform string
	Caps           api.Capabilities // its platform's, narrowed by ReadOnly
	ReadOnly       bool
}

// ContextNamed is the fleet's context of that name (false outside a fleet).
func (c *Context) ContextNamed(name string) (FleetContext, bool) {
	if name == "" {
		return FleetContext{}, false
	}
	for _, fc := range c.Fleet {
		if fc.Name == name {
			return fc, true
		}
	}
	return FleetContext{}, false
}

// RefuseOff flashes why key k does nothing when it is a mutating action of
// scope that read-only mode or the platform turned off, and reports
// whether it did.
func (c *Context) RefuseOff(k string, scope keys.Scope) bool {
	a := c.Keys.Off(k, scope)
	if a == nil {
		return false
	}
	what := a.Binding.Help().Desc
	if c.ReadOnly {
		c.Flash(Warn, "Read-only (--read-only): "+k+" ("+what+") is off.")
	} else {
		c.Flash(Warn, "This platform cannot do that: "+k+" ("+what+") is off.")
	}
	return true
}

// Refused is what to tell the operator while the platform refuses the
// credentials (a 401 or 403 on the latest sweep), "" otherwise: the header
// and every empty view say it instead of "Loading…".
func (c *Context) Refused() string {
	switch api.KindOf(c.Conn.Err) {
	case api.KindUnauthorized:
		return "The platform refused the API key (401 unauthorized). Check this context's key (`agentop config view` shows where it comes from) and restart agentop."
	case api.KindForbidden:
		return "The API key has no access here (403 forbidden). Check the key and the organization of this context (`agentop config view`)."
	}
	return ""
}
