package tui

import (
	"cmp"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// onInteraction announces an agent's new question: the badge and inbox come
// from the snapshot; here the terminal is asked to get the operator's
// attention, whether or not the execution is on screen. Requests already
// waiting at start-up are announced once, together.
func (m *Model) onInteraction(e poller.InteractionEvent) tea.Cmd {
	if e.Initial {
		if m.announcedInitial {
			return nil
		}
		m.announcedInitial = true
		n := max(waiting(m.ctx.Snap), 1)
		waiting := "1 agent is waiting for you"
		if n > 1 {
			waiting = fmt.Sprintf("%d agents are waiting for you", n)
		}
		m.notice(pane.Warn, fmt.Sprintf("%s — press %s.", waiting, m.ctx.Keys.NextWaiting.Binding.Help().Key))
		return notify(m.opts.Notify, "agentop", waiting)
	}
	r := e.Request
	who := sanitize.Line(r.AgentName)
	if who == "" {
		who = kit.ShortID(r.ExecutionID)
	}
	km := m.ctx.Keys
	if e, ok := m.ctx.Snap.Get(r.ExecutionID); ok && e.Status.Wants() == api.WantsApproval && !r.ReadOnly {
		m.notice(pane.Warn, fmt.Sprintf("%s asks for approval: %s — press %s, then %s to approve.", who, ansi.Truncate(sanitize.Line(r.Question), 80, "…"),
			km.NextWaiting.Binding.Help().Key, km.Resume.Binding.Help().Key))
		return notify(m.opts.Notify, who+" asks for approval", sanitize.Line(r.Question))
	}
	how := "press " + km.NextWaiting.Binding.Help().Key + " to answer"
	if r.ReadOnly {
		how = "answer in " + cmp.Or(sanitize.Line(r.AnswerWhere), "the platform's own app")
	}
	m.notice(pane.Warn, fmt.Sprintf("%s asks: %s — %s.", who, ansi.Truncate(sanitize.Line(r.Question), 80, "…"), how))
	return notify(m.opts.Notify, who+" needs you", sanitize.Line(r.Question))
}

// notify rings the bell or sends a desktop notification (OSC 9 / OSC 777),
// as configured. Text is sanitised, so it cannot end the sequence early.
func notify(mode Notify, title, body string) tea.Cmd {
	body = ansi.Truncate(body, 180, "…")
	switch mode {
	case NotifyNone:
		return nil
	case NotifyOSC9:
		return tea.Raw("\x1b]9;" + sanitize.Line(title+": "+body) + "\x07")
	case NotifyOSC777:
		return tea.Raw("\x1b]777;notify;" + strings.ReplaceAll(sanitize.Line(title), ";", ",") + ";" + sanitize.Line(body) + "\x07")
	}
	return tea.Raw("\a")
}
