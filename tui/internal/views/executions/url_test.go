package executions

import (
	"errors"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
)

// useClipboard replaces the native clipboard for a test.
func useClipboard(t *testing.T, unsupported bool, write func(string) error) {
	old := clipboard
	t.Cleanup(func() { clipboard = old })
	clipboard.Unsupported = func() bool { return unsupported }
	clipboard.Write = write
}

// Issue 12 #10: copying uses the native clipboard where there is one and
// says so; else OSC 52, and says that.
func TestCopySaysWhichClipboard(t *testing.T) {
	v, _ := newView(t, 100, 30)
	var got string
	useClipboard(t, false, func(s string) error { got = s; return nil })
	msg := copyText(v.ctx, "https://live.example/1", "live view URL")()
	assert.Equal(t, "https://live.example/1", got)
	assert.Equal(t, "Copied the live view URL to the clipboard.", msg.(kit.Done).Done)

	useClipboard(t, true, nil)
	batch, ok := copyText(v.ctx, "https://live.example/1", "live view URL")().(tea.BatchMsg)
	require.True(t, ok, "OSC 52 and the notice")
	require.Len(t, batch, 2)
	assert.Contains(t, batch[1]().(kit.Done).Done, "through the terminal (OSC 52: no native clipboard here")

	useClipboard(t, false, func(string) error { return errors.New("xclip: can't open display") })
	batch = copyText(v.ctx, "x", "execution id")().(tea.BatchMsg)
	assert.Contains(t, batch[1]().(kit.Done).Done, "the native clipboard failed, xclip: can't open display")
}

// Issue 12 #10: a browser that cannot be opened says what failed and shows
// the URL to copy.
func TestAFailedOpenShowsTheURL(t *testing.T) {
	v, _ := newView(t, 100, 30)
	t.Setenv("PATH", t.TempDir()) // no xdg-open
	e := api.Execution{ID: "run-1", Status: api.StatusRunning, LiveViewURL: "https://live.example/run-1"}
	cmd := openURL(v.ctx, e.LiveViewURL, "live view")
	require.NotNil(t, cmd)
	done := cmd().(kit.Done)
	require.Error(t, done.Err)
	assert.Contains(t, done.Err.Error(), "there is no xdg-open here")
	assert.Contains(t, done.Err.Error(), "The live view: https://live.example/run-1 (y copies it)")
}
