package theme

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestNoColorSelectsTheNoneTheme(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	th, err := Choose("dusk")
	require.NoError(t, err)
	assert.Equal(t, "none", th.Name)
}

func TestNoneThemeUsesNoColour(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	th, err := Choose("none")
	require.NoError(t, err)
	st := New(th)
	for _, s := range api.KnownStatuses {
		out := st.Status(s).Render(Glyph(s) + " " + string(s))
		assert.NotRegexp(t, `\x1b\[[0-9;]*(3|4|9|10)[0-9]`, out, "no foreground/background colour for %s", s)
	}
	assert.Contains(t, st.Selected.Render("x"), "\x1b[", "selection still shows (reverse video)")
}

func TestUnknownThemeIsAnError(t *testing.T) {
	_, err := Lookup("neon")
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "default"), "the error lists the themes")
}

func TestEveryStatusHasAGlyph(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range api.KnownStatuses {
		g := Glyph(s)
		assert.NotEqual(t, "·", g, s)
		assert.False(t, seen[g], "glyphs tell statuses apart: %s", s)
		seen[g] = true
	}
	assert.Equal(t, "·", Glyph("hibernating"))
}
