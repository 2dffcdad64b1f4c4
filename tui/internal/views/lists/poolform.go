package lists

import (
	"context"
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// openPoolForm creates a profile pool (p == nil) or edits one, where the
// platform manages pools (api.PoolManager, Capabilities.ManagePools).
func openPoolForm(ctx *pane.Context, p *api.ProfilePool) tea.Cmd {
	if !ctx.Keys.NewPool.Binding.Enabled() {
		return nil
	}
	if _, ok := ctx.Backend.(api.PoolManager); !ok {
		ctx.Flash(pane.Warn, "This platform cannot create or change pools.")
		return nil
	}
	title, submit, cur := "New profile pool", "Create", api.ProfilePool{}
	strategies := []overlay.Option{{Value: "", Label: "(the platform's default: least recently used)"}}
	if p != nil {
		title, submit, cur = "Edit pool "+sanitize.Line(p.Name), "Save", *p
		strategies = nil
	}
	for _, s := range api.SelectionStrategies {
		strategies = append(strategies, overlay.Option{Value: s, Label: strings.ReplaceAll(s, "_", " ")})
	}
	f := overlay.NewForm(ctx, title, submit)
	f.Text("name", "Name", "1–255 characters, unique in the organization", cur.Name)
	f.Choice("strategy", "Selection", "Which of the pool's profiles an execution gets", strategies, cur.SelectionStrategy)
	f.Toggle("concurrent", "Concurrent use", "space toggles: one profile may serve several executions at once", cur.AllowConcurrentUse)
	f.Submit = func(f *overlay.Form) (tea.Cmd, error) { return submitPool(ctx, f, p) }
	ctx.Host.Open(f)
	return f.FocusField(0)
}

func submitPool(ctx *pane.Context, f *overlay.Form, existing *api.ProfilePool) (tea.Cmd, error) {
	name := strings.TrimSpace(f.Get("name").Value())
	switch {
	case name == "":
		return nil, errors.New("a pool needs a name")
	case len(name) > 255:
		return nil, errors.New("a pool's name is at most 255 characters")
	}
	strategy, concurrent := f.Get("strategy").Value(), f.Get("concurrent").Value() != ""
	refresh := func() tea.Cmd { return kit.Refresh(ctx.Source) }
	if existing == nil {
		in := api.PoolInput{Name: name, OrganizationID: ctx.Organization, AllowConcurrentUse: concurrent, SelectionStrategy: strategy}
		return kit.Call(ctx.Ctx, ctx.Backend, kit.Timeout, func(c context.Context, b api.Backend) tea.Msg {
			_, err := b.(api.PoolManager).CreatePool(c, in)
			return overlay.Done{Form: f, Err: err, OK: "Created pool " + sanitize.Line(name) + ".", Then: refresh}
		}), nil
	}
	var up api.PoolUpdate
	changed(&up.Name, existing.Name, name)
	changed(&up.SelectionStrategy, existing.SelectionStrategy, strategy)
	changed(&up.AllowConcurrentUse, existing.AllowConcurrentUse, concurrent)
	if up.Empty() {
		return nil, errors.New("nothing changed")
	}
	id := existing.ID
	return kit.Call(ctx.Ctx, ctx.Backend, kit.Timeout, func(c context.Context, b api.Backend) tea.Msg {
		_, err := b.(api.PoolManager).UpdatePool(c, id, up)
		return overlay.Done{Form: f, Err: err, OK: "Saved pool " + sanitize.Line(name) + ".", Then: refresh}
	}), nil
}
