package lists

import (
	"cmp"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// Inbox lists the agents waiting for the operator, longest waiting first,
// with what each wants (an answer, an approval) and the key that gives it;
// enter opens the reply box for a question, the execution for an approval.
var Inbox = Def[api.InteractionRequest]{
	Info:    pane.Info{Name: "inbox", Aliases: []string{"needs", "waiting", "in", "i"}, Title: "Inbox", Key: "5", KeyHelp: "needs-you inbox"},
	Heading: "Needs you",
	Empty:   "No agent is waiting for you.",
	Columns: []kit.Column{
		{Title: " ", Width: 1},
		{Title: "WAITING", Width: 8, Right: true},
		{Title: "AGENT", Flex: 1, Min: 14},
		{Title: "ID", Width: 8},
		{Title: "WANTS", Width: 11},
		{Title: "QUESTION", Flex: 3, Min: 20},
	},
	Source: func(ctx *pane.Context) []api.InteractionRequest {
		if ctx.Snap == nil {
			return nil
		}
		return ctx.Snap.Waiting
	},
	Text: func(w api.InteractionRequest) string {
		return w.AgentName + " " + w.ExecutionID + " " + w.Question + " " + w.Context
	},
	Sorts: []Sort[api.InteractionRequest]{
		{"longest waiting", nil},
		{"agent", ByText(func(w api.InteractionRequest) string { return w.AgentName })},
	},
	Cells: func(ctx *pane.Context, w api.InteractionRequest, sel bool) []string {
		st := waitStatus(ctx, w)
		glyph := theme.Glyph(st)
		if !sel {
			glyph = ctx.Styles.Status(st).Render(glyph)
		}
		agent := sanitize.Line(w.AgentName)
		if w.Context != "" { // in a fleet: whose agent
			agent = sanitize.Line(w.Context) + "/" + agent
		}
		q, want := sanitize.Line(w.Question), wants(ctx, st)
		if w.ReadOnly { // answered outside agentop: say where, first
			q = "[answer in " + cmp.Or(sanitize.Line(w.AnswerWhere), "the platform") + "] " + q
			want = "elsewhere"
		}
		return []string{glyph, kit.Ago(ctx.Now, w.AskedAt), agent, kit.ShortID(w.ExecutionID), want, q}
	},
	Open: func(ctx *pane.Context, w api.InteractionRequest) tea.Cmd {
		return ctx.Host.Show(pane.Target{Execution: w.ExecutionID, Reply: waitStatus(ctx, w).Wants() == api.WantsAnswer})
	},
	Help:    func(km *keys.KeyMap) []*keys.Action { return []*keys.Action{km.NextWaiting} },
	Follows: pane.DataWaiting,
	Badge: func(ctx *pane.Context) string {
		if ctx.Snap == nil || len(ctx.Snap.Waiting) == 0 {
			return ""
		}
		return fmt.Sprintf(" (%d)", len(ctx.Snap.Waiting))
	},
}

// waitStatus is the status a waiting execution waits in (a question when
// the snapshot no longer has it).
func waitStatus(ctx *pane.Context, w api.InteractionRequest) api.Status {
	if e, ok := ctx.Snap.Get(w.ExecutionID); ok && e.Status.AwaitsHuman() {
		return e.Status
	}
	return api.StatusPausedByAgent
}

// wants is what the inbox says a waiting execution wants, with the key
// that gives it.
func wants(ctx *pane.Context, st api.Status) string {
	if st.Wants() == api.WantsApproval {
		return "approve · " + ctx.Keys.Resume.Binding.Help().Key
	}
	return "answer · " + ctx.Keys.Reply.Binding.Help().Key
}
