package tui

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
)

// actionTimeout bounds an operator action's request.
const actionTimeout = 20 * time.Second

// actionDoneMsg reports the end of an operator action.
type actionDoneMsg struct {
	done    string // past tense for the flash: "Paused 3f2a9c1e"
	what    string // for a failure: "pause 3f2a9c1e"
	err     error
	catalog bool // the catalog (profiles …) changed: refresh it too
}

// nudge asks the poller to look again now and stay fast for a while.
func (m *Model) nudge() tea.Cmd {
	src := m.src
	if src == nil {
		return nil
	}
	return func() tea.Msg { src.Nudge(); return nil }
}

// run performs a mutating call in a Cmd and reports it as an actionDoneMsg.
func (m *Model) run(what, done string, call func(ctx context.Context, b api.Backend) error) tea.Cmd {
	backend, ctx := m.opts.Backend, m.ctx
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		return actionDoneMsg{done: done, what: what, err: call(c, backend)}
	}
}

func (m *Model) onActionDone(msg actionDoneMsg) tea.Cmd {
	if msg.err != nil {
		m.setFlash(flashErr, "Could not "+msg.what+": "+errText(msg.err))
		return nil
	}
	m.setFlash(flashInfo, msg.done)
	if msg.catalog {
		return refreshCatalog(m)
	}
	return m.nudge()
}

// pause, resume and cancel act on the selected execution after checking the
// documented state machine, so an impossible action explains itself at once.
func (m *Model) pause() tea.Cmd {
	e, ok := m.actionTarget()
	if !ok {
		return nil
	}
	if !e.Status.CanPause() {
		m.setFlash(flashWarn, fmt.Sprintf("Only a running execution can be paused; %s is %s.", shortID(e.ID), sanitize.Line(string(e.Status))))
		return nil
	}
	return m.changeStatus(e, "pause", "Pausing", "Paused", api.Backend.Pause)
}

// changeStatus runs an operator status change on e, with immediate feedback.
func (m *Model) changeStatus(e api.Execution, verb, doing, done string, call func(api.Backend, context.Context, string) error) tea.Cmd {
	id := shortID(e.ID)
	m.setFlash(flashInfo, doing+" "+id+"…")
	full := e.ID
	return m.run(verb+" "+id, done+" "+id+".", func(ctx context.Context, b api.Backend) error { return call(b, ctx, full) })
}

func (m *Model) resume() tea.Cmd {
	e, ok := m.actionTarget()
	if !ok {
		return nil
	}
	if e.Status.NeedsHuman() {
		m.setFlash(flashWarn, "The agent is waiting for an answer: reply to it ("+m.keys.Reply.Binding.Help().Key+").")
		return nil
	}
	if !e.Status.CanResume() {
		m.setFlash(flashWarn, fmt.Sprintf("Only a paused execution can be resumed; %s is %s.", shortID(e.ID), sanitize.Line(string(e.Status))))
		return nil
	}
	return m.changeStatus(e, "resume", "Resuming", "Resumed", api.Backend.Resume)
}

func (m *Model) cancel() tea.Cmd {
	e, ok := m.actionTarget()
	if !ok {
		return nil
	}
	if !e.Status.CanCancel() {
		m.setFlash(flashWarn, fmt.Sprintf("%s has already ended (%s).", shortID(e.ID), sanitize.Line(string(e.Status))))
		return nil
	}
	m.overlay = &confirmDialog{
		title: "Cancel execution?",
		body: fmt.Sprintf("%s · %s · %s\n\nThe agent stops for good; a cancelled execution cannot be resumed.",
			sanitize.Line(e.AgentName), shortID(e.ID), sanitize.Line(string(e.Status))),
		yes: "Cancel execution",
		no:  "Keep it running",
		onYes: func(m *Model) tea.Cmd {
			return m.changeStatus(e, "cancel", "Cancelling", "Cancelled", api.Backend.Cancel)
		},
	}
	return nil
}

// actionTarget is the selected execution, or a flash explaining why there
// is none.
func (m *Model) actionTarget() (api.Execution, bool) {
	e, ok := m.selectedExec()
	if !ok {
		m.setFlash(flashWarn, "No execution selected.")
	}
	return e, ok
}

// executionURL is the most useful URL of an execution: the live view while
// it runs, else the recording.
func executionURL(e api.Execution) (string, string) {
	if !e.Status.IsTerminal() && e.LiveViewURL != "" {
		return e.LiveViewURL, "live view"
	}
	if e.RecordingURL != "" {
		return e.RecordingURL, "recording"
	}
	if e.LiveViewURL != "" {
		return e.LiveViewURL, "live view"
	}
	return "", ""
}

// openURL opens a URL in the default browser; the launcher's output is
// discarded so it cannot draw over the dashboard.
func (m *Model) openURL(url, what string) tea.Cmd {
	if url == "" {
		m.setFlash(flashWarn, "This execution has no live view or recording yet.")
		return nil
	}
	if !safeURL(url) {
		m.setFlash(flashErr, "Refusing to open a URL that is not http(s).")
		return nil
	}
	m.setFlash(flashInfo, "Opening the "+what+" in your browser…")
	ctx := m.ctx
	return func() tea.Msg {
		name, args := "xdg-open", []string{url}
		switch runtime.GOOS {
		case "darwin":
			name = "open"
		case "windows":
			name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
		}
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		// Output is discarded (nil Stdout/Stderr): nothing draws over the screen.
		if err := exec.CommandContext(c, name, args...).Run(); err != nil {
			return actionDoneMsg{what: "open the browser", err: err}
		}
		return nil
	}
}

// copyText puts s on the clipboard through the terminal (OSC 52).
func (m *Model) copyText(s, what string) tea.Cmd {
	if s == "" {
		m.setFlash(flashWarn, "Nothing to copy.")
		return nil
	}
	m.setFlash(flashInfo, "Copied the "+what+" (OSC 52; your terminal must allow clipboard access).")
	return tea.SetClipboard(s)
}

// safeURL accepts only http(s) URLs without control characters.
func safeURL(u string) bool {
	if !(len(u) > 8 && (u[:7] == "http://" || u[:8] == "https://")) {
		return false
	}
	return sanitize.Line(u) == u
}

// errText renders an error for the footer: one sanitised line.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return sanitize.Line(err.Error())
}
