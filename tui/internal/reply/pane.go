package reply

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/sanitize"
)

// Visible reports whether the reply pane shows for execution e: it is
// waiting for a human (a question, or an approval shown with the keys that
// give it), the operator opened the box, or a reply to it is in
// progress or just went out, or a draft is kept for it.
func (b *Box) Visible(e api.Execution) bool {
	if e.Status.AwaitsHuman() || (b.focused && b.execID == e.ID) {
		return true
	}
	if st := b.sends[e.ID]; st != nil {
		switch st.phase {
		case Sending, Checking, Failed, Unsure:
			return true
		case Sent, Echoed:
			return b.ctx.Now.Sub(st.at) < echoLinger // show the echo as the agent resumes
		}
	}
	return b.drafts[e.ID].Text != ""
}

// Layout sizes the pane for execution e in a column w wide over a body
// bodyH high and returns its height (0: hidden). Its frame, the status
// line and the text box always show; the question gets up to 6 lines. When
// the terminal is short, the question shrinks first (to one line), then the
// blank line, then the box (to one line), so what the operator types and
// the outcome of sending it are never cut off. O(1) but for wrapping the
// question (a few lines).
func (b *Box) Layout(e api.Execution, ok bool, w, bodyH int) int {
	b.target, b.w, b.h = e, w, 0
	if !ok || !b.Visible(e) {
		return 0
	}
	questionLines := len(b.questionLines(e.ID, w-4))
	maxH := min(max(bodyH/2, 9), bodyH-6) // table and feed keep a frame each
	b.taH, b.gap = 3, true
	if _, ro := b.readOnly(e.ID); ro {
		b.taH, b.gap = 0, false // answered elsewhere: no box
	} else if b.Off(e) != "" && b.drafts[e.ID].Text == "" && b.sends[e.ID] == nil {
		b.taH = 0 // nothing can be typed: the question and why
	}
	fixed := func() int {
		n := 2 + 1 + b.taH // frame, status, box
		if b.gap {
			n++
		}
		return n
	}
	if fixed()+1 > maxH {
		b.gap = false
	}
	for fixed()+1 > maxH && b.taH > 1 { // a box that shows keeps a line
		b.taH--
	}
	b.qLines = max(min(questionLines, 6, maxH-fixed()), 1)
	b.h = fixed() + b.qLines
	if b.taH > 0 && b.ta.Height() != b.taH {
		b.ta.SetHeight(b.taH)
	}
	return b.h
}

// readOnly returns e's question when it is answered outside agentop (an
// approval in Slack): the pane then shows it with where to answer, and no
// box.
func (b *Box) readOnly(id string) (api.InteractionRequest, bool) {
	q, ok := b.ctx.Snap.WaitingFor(id)
	return q, ok && q.ReadOnly
}

// SetWidth sizes the textarea for a column (also while the pane is hidden).
func (b *Box) SetWidth(w int) { b.ta.SetWidth(max(w-4, 10)) }

// questionLines wraps the question of a waiting execution (or explains why
// there is none) to width.
func (b *Box) questionLines(id string, width int) []string {
	text := ""
	if w, ok := b.ctx.Snap.WaitingFor(id); ok {
		text = sanitize.Text(w.Question)
	} else if st := b.sends[id]; st != nil && st.phase == Echoed {
		text = "✓ Delivered: " + sanitize.Line(st.text)
	} else {
		text = "The agent is not waiting for an answer; a message is delivered as guidance."
	}
	var out []string
	for _, para := range strings.Split(strings.TrimSpace(text), "\n") {
		out = append(out, strings.Split(ansi.Wrap(para, max(width, 10), ""), "\n")...)
	}
	return out
}

// Render draws the pane laid out by Layout: exactly its height in lines.
func (b *Box) Render() []string {
	e, st, w := b.target, b.ctx.Styles, b.w
	title := "Reply to " + sanitize.Line(e.AgentName)
	if q, ok := b.ctx.Snap.WaitingFor(e.ID); ok {
		asks := "asks"
		if e.Status.Wants() == api.WantsApproval {
			asks = "asks for approval"
		}
		title = fmt.Sprintf("%s %s · waiting %s", sanitize.Line(e.AgentName), asks, kit.Ago(b.ctx.Now, q.AskedAt))
		if q.ReadOnly {
			title += " · answer in " + answerWhere(q)
		}
	}
	q := b.questionLines(e.ID, w-4)
	if len(q) > b.qLines {
		q = q[:b.qLines]
		q[len(q)-1] = ansi.Truncate(q[len(q)-1], w-6, "") + " …"
	}
	lines := make([]string, 0, b.h)
	for _, l := range q {
		lines = append(lines, " "+st.Question.Render(l))
	}
	if b.gap {
		lines = append(lines, "")
	}
	if b.taH > 0 {
		lines = append(lines, b.input(e, b.taH)...)
	}
	lines = append(lines, " "+b.status(e))
	return kit.Frame(st, title, kit.PadAll(lines, w-2), w, b.h, b.focused)
}

// input draws the text box: the live textarea while it has the keyboard,
// else the draft as plain lines (the textarea's own rendering is the
// costliest part of a frame, and nothing is being edited).
func (b *Box) input(e api.Execution, h int) []string {
	st := b.ctx.Styles
	if b.focused && b.execID == e.ID {
		lines := strings.Split(b.ta.View(), "\n")
		for i := range lines {
			lines[i] = " " + lines[i]
		}
		return lines
	}
	text := b.drafts[e.ID].Text
	var lines []string
	if text == "" {
		lines = append(lines, " "+st.Muted.Render("┃ ")+st.Muted.Render(b.ta.Placeholder))
	} else {
		for _, l := range strings.Split(text, "\n") {
			lines = append(lines, " "+st.Muted.Render("┃ ")+sanitize.Line(l))
		}
	}
	for len(lines) < h {
		lines = append(lines, " "+st.Muted.Render("┃"))
	}
	return lines[:h]
}

// status is the pane's last line: what happened to the reply, or how to
// use the box.
func (b *Box) status(e api.Execution) string {
	st, km := b.ctx.Styles, b.ctx.Keys
	if q, ro := b.readOnly(e.ID); ro {
		return st.Warn.Render("Answer in " + answerWhere(q) + "; agentop cannot send this answer.")
	}
	if s := b.sends[e.ID]; s != nil {
		switch s.phase {
		case Sending:
			return st.Info.Render("Sending…")
		case Checking:
			return st.Warn.Render("No answer from the server (" + kit.ErrText(s.err) + "); checking whether it arrived…")
		case Unsure:
			return st.Warn.Render("It may not have arrived. Enter sends it again; your text is kept.")
		case Failed:
			if s.movedOn != "" {
				return st.Err.Render("Not sent: this execution has moved on (" + s.movedOn + "); it no longer takes a reply. Your text is kept.")
			}
			return st.Err.Render("Not sent: " + kit.ErrText(s.err) + " — your text is kept.")
		case Sent:
			return st.Ok.Render("Sent ✓ " + sanitize.Line(s.text) + " — waiting for the agent to pick it up…")
		case Echoed:
			return st.Ok.Render("Delivered ✓ the agent received it.")
		}
	}
	if off := b.Off(e); off != "" {
		return st.Warn.Render(off)
	}
	if !b.focused {
		return st.Muted.Render(km.Reply.Binding.Help().Key + " to answer")
	}
	return st.Muted.Render(km.Send.Binding.Help().Key + " send · " + km.Newline.Binding.Help().Key + " new line · " +
		km.Leave.Binding.Help().Key + " leave (draft kept)")
}

// Off says why e takes no typed answer here ("" when it does): it waits
// for an approval (given with resume, refused with cancel), the dashboard
// is read-only, or the platform cannot take one. The pane then shows the
// question and this instead of a text box.
func (b *Box) Off(e api.Execution) string {
	km := b.ctx.Keys
	switch {
	case e.Status.Wants() == api.WantsApproval && b.ctx.ReadOnly:
		return "Read-only (--read-only): approving and refusing are off."
	case e.Status.Wants() == api.WantsApproval:
		var parts []string
		if km.Resume.Binding.Enabled() && b.ctx.CapsFor(e).Resume {
			parts = append(parts, km.Resume.Binding.Help().Key+" approve (resume)")
		}
		if km.Cancel.Binding.Enabled() && b.ctx.CapsFor(e).Cancel {
			parts = append(parts, km.Cancel.Binding.Help().Key+" refuse (cancel)")
		}
		if len(parts) == 0 {
			return "This platform cannot approve from here."
		}
		return strings.Join(parts, " · ")
	case b.ctx.ReadOnly:
		return "Read-only (--read-only): answering, pausing and cancelling are off."
	case !b.ctx.CapsFor(e).Reply || !km.Reply.Binding.Enabled():
		return "This platform takes no answers from here."
	}
	return ""
}

// answerWhere is where a read-only question is answered, for display.
func answerWhere(q api.InteractionRequest) string {
	if w := sanitize.Line(q.AnswerWhere); w != "" {
		return w
	}
	return "the platform's own app"
}
