package tui

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestEveryActionHasANameKeysAndHelp(t *testing.T) {
	km := DefaultKeyMap()
	names := map[string]bool{}
	for _, a := range km.Actions() {
		assert.NotEmpty(t, a.Name)
		assert.False(t, names[a.Name], "duplicate action name %s", a.Name)
		names[a.Name] = true
		assert.NotEmpty(t, a.Binding.Keys(), a.Name)
		assert.NotEmpty(t, a.Binding.Help().Desc, a.Name)
	}
}

func TestOverrideByActionName(t *testing.T) {
	km := DefaultKeyMap()
	require.NoError(t, km.Override(map[string][]string{"pause": {"P"}, "next-waiting": {"ctrl+n", "!"}}))
	assert.Equal(t, []string{"P"}, km.Pause.Binding.Keys())
	assert.Equal(t, "P", km.Pause.Binding.Help().Key)
	assert.Equal(t, []string{"ctrl+n", "!"}, km.NextWaiting.Binding.Keys())

	// Moving a key to another action in the same scope is reported, naming both.
	err := km.Override(map[string][]string{"pause": {"x"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"x" is bound to both pause and cancel`)
	assert.Equal(t, []string{"P"}, km.Pause.Binding.Keys(), "nothing changes on error")

	// Swapping two keys at once is fine.
	require.NoError(t, km.Override(map[string][]string{"pause": {"x"}, "cancel": {"X"}}))

	err = km.Override(map[string][]string{"paws": {"p"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown action "paws"`)

	// An empty list unbinds.
	require.NoError(t, km.Override(map[string][]string{"copy-id": {}}))
	assert.Empty(t, km.CopyID.Binding.Keys())
}

func TestReplyBoxAndDialogKeysMayReuseListKeys(t *testing.T) {
	km := DefaultKeyMap()
	// "enter" sends in the reply box and opens in lists: they never compete.
	assert.NoError(t, km.Override(map[string][]string{"send": {"enter"}, "open": {"enter"}}))
}

func TestRestrictDisablesMutatingActions(t *testing.T) {
	km := DefaultKeyMap()
	km.Restrict(api.Capabilities{Pause: true, Resume: true, Cancel: true, Reply: true}, false)
	assert.True(t, km.Pause.Binding.Enabled())
	assert.False(t, km.Execute.Binding.Enabled(), "the platform cannot execute")
	assert.False(t, km.NewProfile.Binding.Enabled())
	assert.False(t, km.SaveFile.Binding.Enabled(), "the platform serves no downloads")

	ro := DefaultKeyMap()
	ro.Restrict(api.Capabilities{Execute: true, Pause: true, Cancel: true, Reply: true, ManageProfiles: true, Download: true}, true)
	for _, a := range ro.Actions() {
		assert.Equal(t, !a.Mutating, a.Binding.Enabled(), a.Name)
	}
}

func TestKeyOverridesReachTheReplyBox(t *testing.T) {
	h := newHarness(t, 120, 36)
	require.NoError(t, h.m.OverrideKeys(map[string][]string{"newline": {"ctrl+o"}}))
	assert.Equal(t, []string{"ctrl+o"}, h.box().NewlineKeys())
}

func TestMarkdownReferenceListsEveryAction(t *testing.T) {
	md := DefaultKeyMap().Markdown()
	for _, a := range DefaultKeyMap().Actions() {
		assert.Contains(t, md, "`"+a.Name+"`")
	}
	assert.True(t, strings.HasPrefix(md, "**Global**"))
}

// TestReadmeKeysAreCurrent keeps the README's key reference generated from
// the keymap (regenerate it with `agentop keys`).
func TestReadmeKeysAreCurrent(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	readme := string(b)
	begin := strings.Index(readme, "<!-- keys:begin")
	end := strings.Index(readme, "<!-- keys:end -->")
	require.True(t, begin >= 0 && end > begin, "README has the keys markers")
	section := readme[strings.Index(readme[begin:], "\n")+begin+1 : end]
	assert.Equal(t, DefaultKeyMap().Markdown(), section, "README keys are stale: paste the output of `agentop keys`")
}
