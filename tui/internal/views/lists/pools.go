package lists

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// Pools lists the profile pools; enter shows one, n and e create and
// edit one where the platform manages pools.
var Pools = Def[api.ProfilePool]{
	Info:    pane.Info{Name: "pools", Aliases: []string{"pool", "po"}, Title: "Pools", Key: "4", KeyHelp: "pools", Needs: func(c api.Capabilities) bool { return c.Pools }},
	Heading: "Profile pools",
	Empty:   "No profile pools.",
	Columns: []kit.Column{
		{Title: "NAME", Flex: 1, Min: 14},
		{Title: "STRATEGY", Width: 20},
		{Title: "CONCURRENT", Width: 10},
		{Title: "CREATED", Width: 8, Right: true},
		{Title: "ID", Width: 8, HideBelow: 70},
	},
	Source: func(ctx *pane.Context) []api.ProfilePool { return ctx.Catalog.Pools },
	Text:   func(p api.ProfilePool) string { return p.Name + " " + p.ID },
	Sorts: []Sort[api.ProfilePool]{
		{"name", ByText(func(p api.ProfilePool) string { return p.Name })},
		{"created", ByNewest(func(p api.ProfilePool) time.Time { return p.CreatedAt })},
	},
	Cells: func(ctx *pane.Context, p api.ProfilePool, sel bool) []string {
		return []string{sanitize.Line(p.Name), sanitize.Line(p.SelectionStrategy), yesNo(p.AllowConcurrentUse), kit.Ago(ctx.Now, p.CreatedAt), kit.ShortID(p.ID)}
	},
	Open: func(ctx *pane.Context, p api.ProfilePool) tea.Cmd {
		ctx.Host.Open(overlay.NewPage(ctx, "Pool "+sanitize.Line(p.Name), func(int) []string { return poolLines(ctx, p) }))
		return nil
	},
	Act: func(ctx *pane.Context, k tea.KeyPressMsg, p api.ProfilePool, ok bool) tea.Cmd {
		km := ctx.Keys
		switch {
		case key.Matches(k, km.NewPool.Binding):
			return openPoolForm(ctx, nil)
		case key.Matches(k, km.EditPool.Binding) && ok:
			return openPoolForm(ctx, &p)
		}
		ctx.RefuseOff(k.String(), keys.ScopePools)
		return nil
	},
	Help:    func(km *keys.KeyMap) []*keys.Action { return []*keys.Action{km.NewPool, km.EditPool} },
	Catalog: true,
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func poolLines(ctx *pane.Context, p api.ProfilePool) []string {
	return []string{
		overlay.KV(ctx, "ID", sanitize.Line(p.ID), 80),
		overlay.KV(ctx, "Strategy", sanitize.Line(p.SelectionStrategy), 80),
		overlay.KV(ctx, "Concurrent use", yesNo(p.AllowConcurrentUse), 80),
		overlay.KV(ctx, "Created", kit.Ago(ctx.Now, p.CreatedAt)+" ago", 80),
		overlay.KV(ctx, "Updated", kit.Ago(ctx.Now, p.UpdatedAt)+" ago", 80),
	}
}
