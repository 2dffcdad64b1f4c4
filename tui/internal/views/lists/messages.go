package lists

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// Messages lists every flash the footer showed, newest first (":messages"):
// feedback, errors and notices stay readable after their time. It has no
// tab (0 or :messages shows it) and [ ] pass it by.
var Messages = Def[pane.Message]{
	Info:    pane.Info{Name: "messages", Aliases: []string{"msg", "log"}, Key: "0", KeyHelp: "messages (every flash, newest first)"},
	Heading: "Messages",
	Empty:   "No messages yet.",
	Columns: []kit.Column{
		{Title: "TIME", Width: 8},
		{Title: "LEVEL", Width: 5},
		{Title: "MESSAGE", Flex: 1, Min: 20},
	},
	Source: func(ctx *pane.Context) []pane.Message { return ctx.Messages },
	Text:   func(m pane.Message) string { return levelName(m.Level) + " " + m.Text },
	Sorts: []Sort[pane.Message]{
		{"newest", ByNewest(func(m pane.Message) time.Time { return m.At })},
		{"level", func(a, b pane.Message) bool { return a.Level > b.Level }},
	},
	Cells: func(ctx *pane.Context, m pane.Message, sel bool) []string {
		level := levelName(m.Level)
		if !sel {
			switch m.Level {
			case pane.Err:
				level = ctx.Styles.Err.Render(level)
			case pane.Warn:
				level = ctx.Styles.Warn.Render(level)
			}
		}
		return []string{m.At.Local().Format("15:04:05"), level, sanitize.Line(m.Text)}
	},
	Open: func(ctx *pane.Context, m pane.Message) tea.Cmd {
		ctx.Host.Open(overlay.NewPage(ctx, "Message · "+m.At.Local().Format("15:04:05"), func(w int) []string {
			return kit.Wrap(sanitize.Line(m.Text), w)
		}))
		return nil
	},
	Follows: pane.DataMessages,
}

func levelName(l pane.Level) string {
	switch l {
	case pane.Err:
		return "error"
	case pane.Warn:
		return "warn"
	}
	return "info"
}
