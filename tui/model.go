package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/drafts"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/theme"
)

// Minimum terminal size; below it the dashboard asks to be enlarged.
const (
	minWidth  = 60
	minHeight = 16
)

// Fixed rows around the body.
const (
	headerRows = 2
	footerRows = 1
)

// Model is the dashboard's root Bubble Tea model: the router and the
// chrome (header, tabs, footer, flash, the line input). The views are
// panes (tui/internal/pane) from the registry; it is the only tea.Model.
// Use New, then run it with tea.NewProgram(m) (Run does this, wiring the
// poller).
type Model struct {
	opts  Options
	ctx   *pane.Context // what the panes see; the root updates it in place
	w, h  int
	ready bool // a WindowSizeMsg arrived

	views   []pane.View // the registry's views, in tab order
	current int         // index into views

	conn poller.ConnectionEvent
	// catalogs are the contexts' own catalogs in a fleet, joined into
	// ctx.Catalog in the fleet's order.
	catalogs catalogSet
	overlay  pane.Overlay // help, dialog, form or page; nil when none

	pending []tea.Msg // Changed notices to deliver to every view

	helpMemo         helpMemo
	flash            flash
	queue            []flash // notices waiting for the flash to end
	tickArmed        bool
	announcedInitial bool // the waiting-at-start-up notice was given
}

// New builds the dashboard model. src may be nil (no poller: tests drive
// the model with messages).
func New(ctx context.Context, opts Options, src Source) *Model {
	opts.defaults()
	if len(opts.Fleet) > 0 {
		opts.fleetDefaults()
		if opts.Backend == nil {
			// Without Run's fleet (tests): executions by their Context.
			opts.Backend = routeBy(opts.Fleet, func(string) string { return "" })
		}
	}
	caps := api.Capabilities{}
	if opts.Backend != nil {
		caps = opts.Backend.Capabilities()
	}
	km := DefaultKeyMap()
	km.Restrict(caps, opts.ReadOnly)
	m := &Model{opts: opts}
	m.ctx = &pane.Context{
		Styles: theme.New(opts.Theme), Keys: km, Caps: caps, ReadOnly: opts.ReadOnly,
		Organization: opts.Organization, FeedLimit: opts.FeedLimit, Drafts: drafts.Open(opts.StateDir, opts.Context),
		Now: opts.Now(), Host: m, Ctx: ctx, Backend: opts.Backend, Source: src, Filters: opts.Filters,
	}
	if len(opts.Fleet) == 0 {
		m.ctx.ContextName = opts.Context
	} else {
		m.ctx.Fleet = paneContexts(opts.Fleet)
		m.ctx.Drafts = fleetDrafts(opts)
	}
	for _, s := range registry {
		m.views = append(m.views, s.New(m.ctx))
	}
	return m
}

// OverrideKeys applies config key overrides (by action name) before Run.
func (m *Model) OverrideKeys(keys map[string][]string) error {
	if err := m.ctx.Keys.Override(keys); err != nil {
		return err
	}
	m.ctx.Keys.Restrict(m.ctx.Caps, m.opts.ReadOnly)
	m.deliver(pane.Changed{Data: pane.DataKeys})
	return nil
}

// AddCommands binds the config's custom commands (after OverrideKeys): a
// key already in use is an error naming both.
func (m *Model) AddCommands(cmds []Command) error {
	for _, c := range cmds {
		desc := c.Description
		if desc == "" {
			desc = strings.Join(c.Run, " ")
		}
		a, err := m.ctx.Keys.AddCustom(c.Name, c.Key, c.Name+": "+desc, c.Safe)
		if err != nil {
			return err
		}
		m.ctx.Commands = append(m.ctx.Commands, pane.Command{Name: c.Name, Run: c.Run, Interactive: c.Interactive, Action: a})
	}
	m.ctx.Keys.Restrict(m.ctx.Caps, m.opts.ReadOnly)
	return nil
}

// Init starts the clock and what the views start with (loading drafts).
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.armTick(), m.deliver(pane.Started{}))
}

// --- messages --------------------------------------------------------------

// PollMsg delivers a coalesced burst of poller events.
type PollMsg = pane.PollMsg

// tickMsg advances the clock used for relative times ("updated 3s ago", a
// running execution's duration). It is the only timer, once a second.
type tickMsg time.Time

func (m *Model) armTick() tea.Cmd {
	if m.tickArmed {
		return nil
	}
	m.tickArmed = true
	now := m.opts.Now
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return tickMsg(now()) })
}

// Update routes a message, delivers the Changed notices it caused, then
// lays the current view out for the new state (an O(1) step: sizes only).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if len(m.pending) > 0 {
		cmds := []tea.Cmd{cmd}
		for len(m.pending) > 0 {
			next := m.pending[0]
			m.pending = m.pending[1:]
			cmds = append(cmds, m.deliver(next))
		}
		cmd = tea.Batch(cmds...)
	}
	m.layout()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h, m.ready = msg.Width, msg.Height, true
		m.layout()
		return m.deliver(msg)
	case tickMsg:
		m.tickArmed = false
		m.ctx.Now = time.Time(msg)
		if !m.flash.expires.IsZero() && m.ctx.Now.After(m.flash.expires) {
			m.flash = flash{}
			if len(m.queue) > 0 {
				next := m.queue[0]
				m.queue = m.queue[1:]
				next.expires = m.ctx.Now.Add(flashFor(next.level))
				m.flash = next
			}
		}
		return m.armTick()
	case PollMsg:
		return m.onPoll(msg)
	case pane.To:
		if v := m.viewNamed(msg.View); v != nil {
			return v.HandleMsg(msg.Msg)
		}
		return nil
	case overlay.Done:
		return m.onFormDone(msg)
	case kit.Done:
		if msg.Err != nil {
			m.Flash(pane.Err, "Could not "+msg.What+": "+kit.ErrText(msg.Err))
			return nil
		}
		m.Flash(pane.Note, msg.Done)
		if msg.Catalog {
			return kit.Refresh(m.ctx.Source)
		}
		return kit.Nudge(m.ctx.Source)
	case tea.PasteMsg:
		return m.onPaste(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	}
	return m.toOverlay(msg)
}

// deliver gives msg to every view.
func (m *Model) deliver(msg tea.Msg) tea.Cmd {
	var cmds batch
	for _, v := range m.views {
		cmds.add(v.HandleMsg(msg))
	}
	return cmds.cmd()
}

// batch collects Cmds without allocating for the usual none or one.
type batch struct {
	first tea.Cmd
	rest  []tea.Cmd
}

func (b *batch) add(c tea.Cmd) {
	switch {
	case c == nil:
	case b.first == nil:
		b.first = c
	default:
		b.rest = append(b.rest, c)
	}
}

func (b *batch) cmd() tea.Cmd {
	if len(b.rest) == 0 {
		return b.first
	}
	return tea.Batch(append([]tea.Cmd{b.first}, b.rest...)...)
}

// onPoll applies a burst of poller events: the root keeps the snapshot,
// the connection and the catalog in the Context, then every view takes the
// burst. Questions are announced last, once the burst's snapshot is in
// (the notice counts the waiting).
func (m *Model) onPoll(events PollMsg) tea.Cmd {
	var asked []poller.InteractionEvent
	for _, ev := range events {
		switch e := ev.(type) {
		case poller.SnapshotEvent:
			m.ctx.Snap = e.Snapshot
		case poller.ConnectionEvent:
			m.conn, m.ctx.Conn = e, e
		case poller.InteractionEvent:
			asked = append(asked, e)
		case poller.CatalogEvent:
			c := &m.ctx.Catalog
			if e.Context != "" {
				c = m.catalogs.of(e.Context)
			}
			if e.Agents != nil {
				c.Agents = e.Agents
			}
			if e.Profiles != nil {
				c.Profiles = e.Profiles
			}
			if e.Pools != nil {
				c.Pools = e.Pools
			}
			if e.Versions != nil {
				c.Versions = e.Versions
			}
			if e.Environments != nil {
				c.Environments, c.Deployments = e.Environments, e.Deployments
			}
			c.Loaded = true
			if e.Context != "" {
				m.ctx.Catalog = m.catalogs.join(m.ctx.Fleet)
			}
			if len(e.Errs) > 0 {
				where := ""
				if e.Context != "" {
					where = e.Context + ": "
				}
				m.notice(pane.Warn, where+"could not list everything: "+kit.ErrText(e.Errs[0]))
			}
			m.Broadcast(pane.Changed{Data: pane.DataCatalog})
		case poller.ErrorEvent:
			if e.Focus == 0 { // the focused execution's errors are its view's
				m.notice(pane.Warn, e.Op+": "+kit.ErrText(e.Err))
			}
		}
	}
	var cmds batch
	cmds.add(m.deliver(events))
	for _, e := range asked {
		cmds.add(m.onInteraction(e))
	}
	return cmds.cmd()
}

// layout sizes the current view and the overlay for the screen.
func (m *Model) layout() {
	if !m.ready {
		return
	}
	bodyH := max(m.h-headerRows-footerRows, 0)
	if m.overlay != nil {
		m.overlay.SetSize(m.w, bodyH)
	}
	v := m.views[m.current]
	v.SetFocused(true)
	v.SetSize(m.w, bodyH)
}

// onFormDone ends a form's submission: on success the form closes and the
// flash says what happened; on failure the form stays, with what was typed,
// and shows the error. If the form was closed meanwhile, the flash reports
// either way.
func (m *Model) onFormDone(msg overlay.Done) tea.Cmd {
	open := m.overlay == pane.Overlay(msg.Form)
	if msg.Err != nil {
		if open {
			msg.Form.Failed(msg.Err)
			return nil
		}
		m.Flash(pane.Err, msg.Form.Title()+" failed: "+kit.ErrText(msg.Err))
		return nil
	}
	m.Flash(pane.Note, msg.OK)
	var cmd tea.Cmd
	if open {
		m.overlay = nil
		// Only while the operator is still here: a form closed while it
		// worked must not move the selection or the keyboard later.
		if msg.Then != nil {
			cmd = msg.Then()
		}
	}
	return tea.Batch(cmd, kit.Nudge(m.ctx.Source))
}

// SaveDrafts writes what was typed now, after the program has ended (its
// last word over any save still in flight).
func (m *Model) SaveDrafts() error {
	for _, v := range m.views {
		if k, ok := v.(pane.Keeper); ok {
			if err := k.KeepNow(); err != nil {
				return err
			}
		}
	}
	return nil
}

// DraftStore is where drafts are kept.
func (m *Model) DraftStore() *drafts.Store { return m.ctx.Drafts }

// --- pane.Host ---------------------------------------------------------------

// flash is a transient message in the footer.
type flash struct {
	text    string
	level   pane.Level
	expires time.Time
}

// flashFor is how long a flash shows.
func flashFor(level pane.Level) time.Duration {
	if level == pane.Err {
		return 10 * time.Second
	}
	return 4 * time.Second
}

// maxMessages is how many flashes :messages keeps; maxQueued how many
// notices wait for the footer.
const (
	maxMessages = 300
	maxQueued   = 8
)

// Flash implements pane.Host: feedback on what the operator did shows at
// once, except over an error still showing, which keeps its time (the new
// one waits its turn). Every flash is kept for :messages.
func (m *Model) Flash(level pane.Level, text string) {
	m.show(flash{text: text, level: level}, m.flash.level == pane.Err && level != pane.Err)
}

// notice is a flash the operator did not cause (a question, a background
// failure): it waits for the flash showing to end its time.
func (m *Model) notice(level pane.Level, text string) { m.show(flash{text: text, level: level}, true) }

func (m *Model) show(f flash, wait bool) {
	m.record(f)
	if wait && m.flash.text != "" && !m.ctx.Now.After(m.flash.expires) {
		if len(m.queue) == maxQueued {
			m.queue = m.queue[1:]
		}
		m.queue = append(m.queue, f)
		return
	}
	f.expires = m.ctx.Now.Add(flashFor(f.level))
	m.flash = f
}

// record keeps a flash for :messages: a new slice, so one a Cmd captured
// never changes.
func (m *Model) record(f flash) {
	old := m.ctx.Messages
	if len(old) >= maxMessages {
		old = old[len(old)-maxMessages+1:]
	}
	msgs := make([]pane.Message, len(old), len(old)+1)
	copy(msgs, old)
	m.ctx.Messages = append(msgs, pane.Message{At: m.ctx.Now, Level: f.level, Text: f.text})
	m.Broadcast(pane.Changed{Data: pane.DataMessages})
}

// Open implements pane.Host.
func (m *Model) Open(o pane.Overlay) {
	m.overlay = o
	if m.ready {
		o.SetSize(m.w, max(m.h-headerRows-footerRows, 0))
	}
}

// Show implements pane.Host: the first view that can show t does, and
// becomes the current one.
func (m *Model) Show(t pane.Target) tea.Cmd {
	for i, v := range m.views {
		if s, ok := v.(pane.Shower); ok {
			cmd, shown := s.Show(t)
			if shown {
				m.current = i
			}
			return cmd
		}
	}
	return nil
}

// Broadcast implements pane.Host.
func (m *Model) Broadcast(msg tea.Msg) { m.pending = append(m.pending, msg) }

// helpMemo keeps the footer's help line: it changes only with the view,
// the bindings it shows and the width.
type helpMemo struct {
	view  int
	w     int
	binds []key.Binding
	line  string
}

// sameHelp reports whether two help lines show the same keys.
func sameHelp(a, b []key.Binding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Help() != b[i].Help() {
			return false
		}
	}
	return true
}

// --- accessors (tests) -------------------------------------------------------

// viewNamed is the view with that name (nil when none).
func (m *Model) viewNamed(name string) pane.View {
	for _, v := range m.views {
		if v.About().Name == name {
			return v
		}
	}
	return nil
}

// state is what the root shows: the current view's name, the overlay (nil
// when none) and whether the line input is open.
func (m *Model) state() (view string, o pane.Overlay, line bool) {
	return m.views[m.current].About().Name, m.overlay, m.ctx.Line.Input != nil
}
