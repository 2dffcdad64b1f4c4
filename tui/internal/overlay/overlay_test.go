package overlay

import (
	"errors"
	"regexp"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/pane/panetest"
)

func TestConfirmDefaultsToTheSafeChoice(t *testing.T) {
	ctx, _ := panetest.New(nil, time.Now())
	yes := 0
	d := NewConfirm(ctx, "Delete it?", "It cannot be undone.", "Delete", "Keep", func() tea.Cmd { yes++; return nil })
	d.SetSize(80, 20)
	lines := d.Render()
	require.Len(t, lines, 20)
	assert.Equal(t, 80, ansi.StringWidth(lines[10]))

	act, _ := d.Update(panetest.Key("enter"))
	assert.Equal(t, pane.Close, act)
	assert.Zero(t, yes, "enter alone never does harm")

	d.Update(panetest.Key("tab"))
	act, _ = d.Update(panetest.Key("enter"))
	assert.Equal(t, pane.Close, act)
	assert.Equal(t, 1, yes)
}

func TestAFormKeepsWhatWasTypedAndAsksBeforeDiscardingIt(t *testing.T) {
	ctx, _ := panetest.New(nil, time.Now())
	f := NewForm(ctx, "New thing", "Create")
	f.Text("name", "Name", "", "")
	f.Toggle("on", "On", "", false)
	submitted := 0
	f.Submit = func(f *Form) (tea.Cmd, error) {
		if f.Get("name").Value() == "" {
			return nil, errors.New("a thing needs a name")
		}
		submitted++
		return nil, nil
	}
	f.SetSize(100, 30)
	f.FocusField(0)
	f.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	assert.Contains(t, ansi.Strip(joined(f.Render())), "a thing needs a name")
	for _, r := range "box" {
		f.Update(panetest.Key(string(r)))
	}
	f.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	assert.Equal(t, 1, submitted)
	f.Failed(errors.New("name already exists"))
	assert.Equal(t, "box", f.Get("name").Value(), "a failed submission keeps the text")

	act, _ := f.Update(panetest.Key("esc"))
	assert.Equal(t, pane.Stay, act, "typed text: esc asks first")
	act, _ = f.Update(panetest.Key("esc"))
	assert.Equal(t, pane.Close, act)
}

func TestHelpListsEnabledBindingsByScope(t *testing.T) {
	ctx, _ := panetest.New(nil, time.Now())
	pauseLine := regexp.MustCompile(`(?m)^│\s+p\s+pause\s+│$`)
	h := NewHelp(ctx)
	h.SetSize(100, 60)
	text := ansi.Strip(joined(h.Render()))
	assert.Contains(t, text, "Executions")
	assert.Regexp(t, pauseLine, text)
	ctx.Keys.Pause.Binding.SetEnabled(false)
	text = ansi.Strip(joined(h.Render()))
	assert.NotRegexp(t, pauseLine, text, "a disabled action is not offered")
	assert.Contains(t, text, "resume")
	act, _ := h.Update(panetest.Key("?"))
	assert.Equal(t, pane.Close, act)
}

func joined(lines []string) string {
	out := ""
	for _, l := range lines {
		out += l + "\n"
	}
	return out
}
