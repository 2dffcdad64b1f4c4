package executions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	nativeclip "github.com/atotto/clipboard"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// pause, resume and cancel act on the selected execution after checking the
// documented state machine, so an impossible action explains itself at once.
func (v *View) pause() tea.Cmd {
	e, ok := v.actionTarget()
	if !ok {
		return nil
	}
	if !v.can(e, func(c api.Capabilities) bool { return c.Pause }, "paused") {
		return nil
	}
	if !e.Status.CanPause() {
		v.ctx.Flash(pane.Warn, fmt.Sprintf("Only a running execution can be paused; %s is %s.", kit.ShortID(e.ID), sanitize.Line(string(e.Status))))
		return nil
	}
	return changeStatus(v.ctx, e, "pause", "Pausing", "Paused", api.Backend.Pause)
}

func (v *View) resume() tea.Cmd {
	e, ok := v.actionTarget()
	if !ok {
		return nil
	}
	if !v.can(e, func(c api.Capabilities) bool { return c.Resume }, "resumed") {
		return nil
	}
	if e.Status.NeedsHuman() {
		v.ctx.Flash(pane.Warn, "The agent is waiting for an answer: reply to it ("+v.ctx.Keys.Reply.Binding.Help().Key+").")
		return nil
	}
	if !e.Status.CanResume() {
		v.ctx.Flash(pane.Warn, fmt.Sprintf("Only a paused execution can be resumed; %s is %s.", kit.ShortID(e.ID), sanitize.Line(string(e.Status))))
		return nil
	}
	return changeStatus(v.ctx, e, "resume", "Resuming", "Resumed", api.Backend.Resume)
}

func (v *View) cancel() tea.Cmd {
	e, ok := v.actionTarget()
	if !ok {
		return nil
	}
	if !v.can(e, func(c api.Capabilities) bool { return c.Cancel }, "cancelled") {
		return nil
	}
	if !e.Status.CanCancel() {
		v.ctx.Flash(pane.Warn, fmt.Sprintf("%s has already ended (%s).", kit.ShortID(e.ID), sanitize.Line(string(e.Status))))
		return nil
	}
	ctx := v.ctx
	// A platform that requires a reason (Prefactor's terminate) asks for it
	// in a form; elsewhere the confirmation keeps "Keep it running" as
	// the default answer (an optional reason is for the CLI's --reason).
	if req := ctx.CapsFor(e).CancelReason; req == api.Required {
		return openCancelWithReason(ctx, e, req)
	}
	ctx.Host.Open(overlay.NewConfirm(ctx, "Cancel execution?",
		fmt.Sprintf("%s · %s · %s\n\nThe agent stops for good; a cancelled execution cannot be resumed.",
			sanitize.Line(e.AgentName), kit.ShortID(e.ID), sanitize.Line(string(e.Status))),
		"Cancel execution", "Keep it running",
		func() tea.Cmd { return changeStatus(ctx, e, "cancel", "Cancelling", "Cancelled", api.Backend.Cancel) }))
	return nil
}

// openCancelWithReason asks for the reason of a cancel on a platform that
// takes one (and may require it, as Prefactor's terminate does) in a small
// form: the reason, then the cancel button.
func openCancelWithReason(ctx *pane.Context, e api.Execution, req api.Requirement) tea.Cmd {
	f := overlay.NewForm(ctx, "Cancel execution?", "Cancel execution")
	help := "Why (optional): sent with the cancel"
	if req == api.Required {
		help = "Why (required by " + sanitize.Line(ctx.Backend.Platform()) + "): kept with the run"
	}
	f.Text("reason", "Reason", help, "")
	full, id, status := e.ID, kit.ShortID(e.ID), sanitize.Line(e.StatusWord())
	f.Note = fmt.Sprintf("%s · %s · %s — the agent stops for good; it cannot be resumed.", sanitize.Line(e.AgentName), id, status)
	f.Submit = func(f *overlay.Form) (tea.Cmd, error) {
		reason := strings.TrimSpace(f.Get("reason").Value())
		if reason == "" && req == api.Required {
			return nil, errors.New("a reason is required to cancel here")
		}
		ctx.Flash(pane.Note, "Cancelling "+id+"…")
		src := ctx.Source
		return kit.Call(ctx.Ctx, ctx.Backend, kit.Timeout, func(c context.Context, b api.Backend) tea.Msg {
			err := api.CancelExecution(c, b, full, reason)
			if err == nil && src != nil {
				src.Nudge() // the sweep shows it ended sooner
			}
			return overlay.Done{Form: f, Err: err, OK: "Cancelled " + id + "."}
		}), nil
	}
	ctx.Host.Open(f)
	return f.FocusField(0)
}

// changeStatus runs an operator status change on e, with immediate feedback.
func changeStatus(ctx *pane.Context, e api.Execution, verb, doing, done string, call func(api.Backend, context.Context, string) error) tea.Cmd {
	id := kit.ShortID(e.ID)
	ctx.Flash(pane.Note, doing+" "+id+"…")
	full := e.ID
	return kit.Act(ctx.Ctx, ctx.Backend, verb+" "+id, done+" "+id+".", false, func(c context.Context, b api.Backend) error { return call(b, c, full) })
}

// can reports whether e's kind of run takes an action (the keys already
// reflect what the platform takes at all); a flash says when it does not.
func (v *View) can(e api.Execution, takes func(api.Capabilities) bool, done string) bool {
	if takes(v.ctx.CapsFor(e)) {
		return true
	}
	label := v.ctx.Caps.KindLabel(e.Kind)
	if label == "" {
		label = "run"
	}
	v.ctx.Flash(pane.Warn, "This kind of execution ("+sanitize.Line(label)+") cannot be "+done+".")
	return false
}

// actionTarget is the selected execution, or a flash explaining why there
// is none.
func (v *View) actionTarget() (api.Execution, bool) {
	e, ok := v.selectedExec()
	if !ok {
		v.ctx.Flash(pane.Warn, "No execution selected.")
	}
	return e, ok
}

// urlAction opens or copies an execution's URL, or copies its id.
func urlAction(ctx *pane.Context, k tea.KeyPressMsg, e api.Execution) tea.Cmd {
	km := ctx.Keys
	url, what := executionURL(e)
	switch {
	case key.Matches(k, km.OpenURL.Binding):
		return openURL(ctx, url, what)
	case key.Matches(k, km.CopyURL.Binding):
		return copyText(ctx, url, what+" URL")
	case key.Matches(k, km.CopyID.Binding):
		return copyText(ctx, e.ID, "execution id")
	}
	return nil
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

// openURL opens a URL in the default browser.
func openURL(ctx *pane.Context, url, what string) tea.Cmd {
	if url == "" {
		ctx.Flash(pane.Warn, "This execution has no live view or recording yet.")
		return nil
	}
	if !safeURL(url) {
		ctx.Flash(pane.Err, "Refusing to open a URL that is not http(s).")
		return nil
	}
	ctx.Flash(pane.Note, "Opening the "+what+" in your browser…")
	copyKey := ctx.Keys.CopyURL.Binding.Help().Key
	return kit.OpenBrowser(ctx.Ctx, url, func(err error) tea.Msg {
		return kit.Done{What: "open the browser", Err: fmt.Errorf("%w. The %s: %s (%s copies it)", err, what, sanitize.Line(url), copyKey)}
	})
}

// clipboard is the native clipboard (pbcopy, xclip, xsel, wl-copy,
// Windows): Unsupported when there is none. Tests replace it.
var clipboard = struct {
	Unsupported func() bool
	Write       func(string) error
}{func() bool { return nativeclip.Unsupported }, nativeclip.WriteAll}

// copyText puts s on the native clipboard when there is one, else on the
// terminal's through OSC 52, and says which.
func copyText(ctx *pane.Context, s, what string) tea.Cmd {
	if s == "" {
		ctx.Flash(pane.Warn, "Nothing to copy.")
		return nil
	}
	osc52 := func(why string) tea.Msg {
		return tea.BatchMsg{tea.SetClipboard(s), func() tea.Msg {
			return kit.Done{Done: "Copied the " + what + " through the terminal (OSC 52" + why + "; the terminal must allow clipboard access)."}
		}}
	}
	if clipboard.Unsupported() {
		return func() tea.Msg { return osc52(": no native clipboard here") }
	}
	write := clipboard.Write
	return func() tea.Msg {
		if err := write(s); err != nil {
			return osc52(": the native clipboard failed, " + err.Error())
		}
		return kit.Done{Done: "Copied the " + what + " to the clipboard."}
	}
}

// safeURL accepts only http(s) URLs without control characters.
func safeURL(u string) bool {
	if !(len(u) > 8 && (u[:7] == "http://" || u[:8] == "https://")) {
		return false
	}
	return sanitize.Line(u) == u
}
