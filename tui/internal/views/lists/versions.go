package lists

import (
	"cmp"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// VersionRow is one configuration version with its agent's name.
type VersionRow struct {
	api.AgentVersion
	Agent string
}

// Versions lists the agents' configuration versions (read-only), by agent
// and newest first; enter shows one.
var Versions = Def[VersionRow]{
	Info: pane.Info{Name: "versions", Aliases: []string{"version", "ver", "configs"}, Title: "Versions", Key: "6", KeyHelp: "versions",
		Needs: func(c api.Capabilities) bool { return c.Versions }},
	Heading: "Configuration versions",
	Empty:   "No configuration versions.",
	Columns: []kit.Column{
		{Title: "AGENT", Flex: 1, Min: 16},
		{Title: "VERSION", Width: 7, Right: true},
		{Title: "CURRENT", Width: 7},
		{Title: "CREATED", Width: 8, Right: true},
		{Title: "INSTRUCTIONS", Flex: 3, Min: 10, HideBelow: 90},
	},
	Source: versionRows,
	Text:   func(r VersionRow) string { return r.Agent + " " + r.Summary + " " + r.ID },
	Sorts: []Sort[VersionRow]{
		{"agent", nil}, // the source's order: by agent, newest version first
		{"created", ByNewest(func(r VersionRow) time.Time { return r.CreatedAt })},
	},
	Cells: func(ctx *pane.Context, r VersionRow, sel bool) []string {
		current := ""
		if r.Current {
			current = "current"
		}
		return []string{sanitize.Line(r.Agent), fmt.Sprint(r.Number), current, kit.Ago(ctx.Now, r.CreatedAt), sanitize.Line(r.Summary)}
	},
	Open: func(ctx *pane.Context, r VersionRow) tea.Cmd {
		title := fmt.Sprintf("%s · version %d", sanitize.Line(r.Agent), r.Number)
		ctx.Host.Open(overlay.NewPage(ctx, title, func(w int) []string { return versionLines(ctx, r, w) }))
		return nil
	},
	Follows: pane.DataCatalog,
	Catalog: true,
}

// versionRows names each version's agent (once per catalog, not per frame).
func versionRows(ctx *pane.Context) []VersionRow {
	names := agentNames(ctx)
	out := make([]VersionRow, len(ctx.Catalog.Versions))
	for i, v := range ctx.Catalog.Versions {
		out[i] = VersionRow{AgentVersion: v, Agent: cmp.Or(names[v.AgentID], v.AgentID)}
	}
	return out
}

func versionLines(ctx *pane.Context, r VersionRow, w int) []string {
	current := "no"
	if r.Current {
		current = "yes (new executions run it)"
	}
	lines := []string{
		overlay.KV(ctx, "Agent", sanitize.Line(r.Agent), w),
		overlay.KV(ctx, "Agent ID", sanitize.Line(r.AgentID), w),
		overlay.KV(ctx, "Version", fmt.Sprint(r.Number), w),
		overlay.KV(ctx, "ID", sanitize.Line(r.ID), w),
		overlay.KV(ctx, "Current", current, w),
		overlay.KV(ctx, "Created", kit.Ago(ctx.Now, r.CreatedAt)+" ago", w),
		"",
	}
	lines = append(lines, " "+ctx.Styles.Accent.Render("Instructions"))
	for _, l := range kit.Lines(ansi.Wordwrap(sanitize.Text(r.Summary), max(w-3, 10), "")) {
		lines = append(lines, "   "+l)
	}
	return lines
}
