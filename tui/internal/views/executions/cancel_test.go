package executions

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/pane/panetest"
)

// terminator is a platform whose cancel needs a reason.
type terminator struct {
	api.Unimplemented
	mu      sync.Mutex
	reasons []string
}

func (b *terminator) Platform() string { return "prefactor" }
func (b *terminator) Capabilities() api.Capabilities {
	return api.Capabilities{Cancel: true, CancelReason: api.Required}
}
func (b *terminator) CancelWithReason(_ context.Context, id, reason string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reasons = append(b.reasons, id+": "+reason)
	return nil
}

// On a platform that requires a reason, x asks for one in a form; the
// cancel is refused without one and sent with it.
func TestCancelAsksForTheReasonThePlatformNeeds(t *testing.T) {
	be := &terminator{Unimplemented: api.Unimplemented{Name: "prefactor"}}
	ctx, host := panetest.New(be, t0)
	v := New(ctx)
	v.SetSize(120, 30)
	snap, _ := fleet()
	ctx.Snap = snap
	panetest.Run(v, host, v.HandleMsg(pane.PollMsg{poller.SnapshotEvent{Snapshot: snap}}))
	v.SetSize(120, 30)
	require.Nil(t, v.cancel())
	require.Len(t, host.Opened, 1)
	f, ok := host.Opened[0].(*overlay.Form)
	require.True(t, ok, "a form, not a plain confirmation")
	f.SetSize(120, 30)
	screen := ansi.Strip(joinLines(f.Render()))
	assert.Contains(t, screen, "Cancel execution?")
	assert.Contains(t, screen, "Reason")

	// Submit with no reason: the form stays and says why.
	f.Update(panetest.Key("tab")) // to the button
	act, cmd := f.Update(panetest.Key("enter"))
	assert.Equal(t, pane.Stay, act)
	assert.Nil(t, cmd)
	assert.Contains(t, ansi.Strip(joinLines(f.Render())), "a reason is required")
	assert.Empty(t, be.reasons)

	// Type one and submit.
	f.Update(panetest.Key("tab"))
	for _, r := range "runaway spend" {
		f.Update(panetest.Key(string(r)))
	}
	f.Update(panetest.Key("tab"))
	_, cmd = f.Update(panetest.Key("enter"))
	require.NotNil(t, cmd)
	msg := cmd()
	done, ok := msg.(overlay.Done)
	require.True(t, ok, "%T", msg)
	require.NoError(t, done.Err)
	require.Len(t, be.reasons, 1)
	assert.Contains(t, be.reasons[0], ": runaway spend")
}

func joinLines(ls []string) string { return strings.Join(ls, "\n") }
