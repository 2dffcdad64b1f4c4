package tui

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/views/lists"
	"github.com/agentop/agentop/tui/sanitize"
)

// TestAViewIsOneDefAndOneLine adds a list view the way ARCHITECTURE.md
// says (a Def, and its line in the registry) and checks that everything
// else follows: its number key, tab, ":" name and completion, help,
// `agentop keys`, filtering and sorting.
func TestAViewIsOneDefAndOneLine(t *testing.T) {
	credentials := lists.Def[api.Profile]{
		Info:    pane.Info{Name: "vault", Aliases: []string{"va"}, Title: "Vault", Key: "v", KeyHelp: "credentials by profile"},
		Heading: "Vault",
		Empty:   "No profiles.",
		Columns: []kit.Column{{Title: "PROFILE", Flex: 1, Min: 12}, {Title: "CREDENTIALS", Width: 11, Right: true}},
		Source:  func(ctx *pane.Context) []api.Profile { return ctx.Catalog.Profiles },
		Text:    func(p api.Profile) string { return p.Name },
		Cells: func(_ *pane.Context, p api.Profile, _ bool) []string {
			return []string{sanitize.Line(p.Name), fmt.Sprint(len(p.Credentials))}
		},
		Sorts:   []lists.Sort[api.Profile]{{Name: "name", Less: lists.ByText(func(p api.Profile) string { return p.Name })}},
		Catalog: true,
	}
	saved := registry
	registry = append(append([]pane.Spec(nil), registry...), lists.Spec(credentials)) // the one line
	t.Cleanup(func() { registry = saved })

	assert.Contains(t, DefaultKeyMap().Markdown(), "| `v` | credentials by profile | `view-vault` |")
	h := newHarness(t, 120, 30)
	h.send(PollMsg{poller.CatalogEvent{Profiles: []api.Profile{
		{ID: "p1", Name: "prod-eu", Credentials: []api.CredentialRef{{ID: "c1", Name: "pw"}}}, {ID: "p2", Name: "staging"}}}})
	assert.Contains(t, h.view(), "v Vault", "a tab")
	h.keys("v")
	require.Equal(t, "vault", h.viewName(), "its key (the number keys are taken)")
	assert.Contains(t, h.view(), "Vault 2 · by name ↓")
	assert.Contains(t, h.view(), "prod-eu")
	h.keys("/")
	h.typeText("stag")
	h.keys("enter")
	assert.Contains(t, h.view(), "Vault 1 · /stag")
	h.keys("esc", "esc")
	assert.Equal(t, "executions", h.viewName())
	h.keys(":")
	h.typeText("va")
	h.keys("enter")
	assert.Equal(t, "vault", h.viewName(), "an alias")
	h.keys("?")
	assert.Contains(t, h.view(), "credentials by profile", "help")
	h.keys("esc", "[")
	assert.Equal(t, "inbox", h.viewName(), "[ and ] step through it")
}
