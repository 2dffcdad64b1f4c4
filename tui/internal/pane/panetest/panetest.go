// Package panetest drives a pane below the whole model: a Context with a
// recording Host, and a runner that executes the pane's Cmds and hands the
// results addressed to it back, as the root would.
package panetest

import (
	"context"
	"reflect"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/theme"
)

// Host records what a pane asked of the root.
type Host struct {
	Flashes []string
	Level   pane.Level
	Opened  []pane.Overlay
	Shown   []pane.Target
	Lines   []pane.LineKind
	Pending []tea.Msg // broadcasts not yet delivered
}

// Flash implements pane.Host.
func (h *Host) Flash(level pane.Level, text string) {
	h.Level = level
	h.Flashes = append(h.Flashes, text)
}

// Open implements pane.Host.
func (h *Host) Open(o pane.Overlay) { h.Opened = append(h.Opened, o) }

// Show implements pane.Host.
func (h *Host) Show(t pane.Target) tea.Cmd { h.Shown = append(h.Shown, t); return nil }

// Line implements pane.Host.
func (h *Host) Line(k pane.LineKind) tea.Cmd { h.Lines = append(h.Lines, k); return nil }

// Broadcast implements pane.Host (Run delivers them).
func (h *Host) Broadcast(msg tea.Msg) { h.Pending = append(h.Pending, msg) }

// LastFlash is the latest flash ("" when none).
func (h *Host) LastFlash() string {
	if len(h.Flashes) == 0 {
		return ""
	}
	return h.Flashes[len(h.Flashes)-1]
}

// New returns a Context for tests: the none theme, the default keys (with
// the given views' switch actions), every capability, a fixed clock.
func New(backend api.Backend, now time.Time) (*pane.Context, *Host) {
	none, _ := theme.Lookup("none")
	h := &Host{}
	caps := api.Capabilities{Execute: true, Pause: true, Resume: true, Cancel: true, Reply: true, Files: true,
		Profiles: true, ManageProfiles: true, Pools: true}
	if backend != nil {
		caps = backend.Capabilities()
	}
	return &pane.Context{Styles: theme.New(none), Keys: keys.Default(nil), Caps: caps, Now: now, Host: h,
		Ctx: context.Background(), Backend: backend, FeedLimit: 100}, h
}

var cmdSlice = reflect.TypeOf([]tea.Cmd(nil))

// Run executes cmd (and the Cmds its results lead to) and gives every
// result addressed To p, and every broadcast, to p.HandleMsg; other
// messages are returned. Cmds that do not finish quickly (ticks) are
// dropped.
func Run(p pane.Pane, h *Host, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	var run func(tea.Cmd)
	deliver := func(msg tea.Msg) {
		run(p.HandleMsg(msg))
		for len(h.Pending) > 0 {
			b := h.Pending[0]
			h.Pending = h.Pending[1:]
			run(p.HandleMsg(b))
		}
	}
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		ch := make(chan tea.Msg, 1)
		go func() { ch <- c() }()
		var msg tea.Msg
		select {
		case msg = <-ch:
		case <-time.After(200 * time.Millisecond):
			return
		}
		switch m := msg.(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range m {
				run(c)
			}
		case pane.To:
			deliver(m.Msg)
		default:
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdSlice) {
				for _, c := range v.Convert(cmdSlice).Interface().([]tea.Cmd) { // tea.Sequence
					run(c)
				}
				return
			}
			out = append(out, msg)
		}
	}
	run(cmd)
	for len(h.Pending) > 0 {
		b := h.Pending[0]
		h.Pending = h.Pending[1:]
		run(p.HandleMsg(b))
	}
	return out
}

// Key is a key press: a named key ("enter", "esc", "tab", "up", "down") or
// a character.
func Key(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}
