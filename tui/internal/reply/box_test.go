package reply

import (
	"context"

	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/pane/panetest"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// replier answers Reply with err and Activities with acts.
type replier struct {
	api.Unimplemented
	mu      sync.Mutex
	err     error
	acts    []api.Activity
	replies []string
	now     *api.Execution
}

func (r *replier) Platform() string               { return "test" }
func (r *replier) Capabilities() api.Capabilities { return api.Capabilities{Reply: true} }
func (r *replier) Reply(_ context.Context, _, text string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replies = append(r.replies, text)
	return r.err
}
func (r *replier) Activities(context.Context, string, api.ActivityQuery) ([]api.Activity, error) {
	return r.acts, nil
}

// GetExecution answers with now, when set (what the platform says the
// execution is now).
func (r *replier) GetExecution(_ context.Context, id string) (api.Execution, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.now == nil {
		return api.Execution{}, &api.Error{Kind: api.KindNotFound}
	}
	return *r.now, nil
}

func newBox(t *testing.T, backend *replier) (*Box, *panetest.Host, *bool) {
	t.Helper()
	ctx, host := panetest.New(backend, t0)
	asked := api.Execution{ID: "e1", AgentName: "Quote filler", Status: api.StatusPausedByAgent}
	ctx.Snap = poller.NewSnapshot(1, t0, []api.Execution{asked}, 0, map[string]api.InteractionRequest{
		"e1": {ExecutionID: "e1", Question: "Basic or Plus?", AskedAt: t0.Add(-time.Minute)}})
	left := false
	b := New(ctx, "executions", func() { left = true })
	return b, host, &left
}

func typeText(b *Box, s string) {
	for _, r := range s {
		b.HandleKey(panetest.Key(string(r)))
	}
}

func TestTheBoxKeepsADraftPerExecution(t *testing.T) {
	b, _, left := newBox(t, &replier{})
	b.Focus("e1")
	typeText(b, "Plus")
	assert.Equal(t, "Plus", b.Draft("e1"))
	b.HandleKey(panetest.Key("esc"))
	assert.True(t, *left, "esc gives the keyboard back")
	assert.False(t, b.Focused())
	b.Focus("e2")
	assert.Empty(t, b.Value(), "another execution, another draft")
	b.Focus("e1")
	assert.Equal(t, "Plus", b.Value())
}

func TestTheBoxLaysItselfOutAndRendersToWidth(t *testing.T) {
	b, _, _ := newBox(t, &replier{})
	e, _ := b.ctx.Snap.Get("e1")
	h := b.Layout(e, true, 70, 40)
	require.Greater(t, h, 0, "a waiting execution shows the box")
	lines := b.Render()
	require.Len(t, lines, h)
	for _, l := range lines {
		assert.Equal(t, 70, ansi.StringWidth(l))
	}
	assert.Contains(t, ansi.Strip(lines[0]), "Quote filler asks · waiting 1m00s")
	assert.Contains(t, ansi.Strip(lines[1]), "Basic or Plus?")
	assert.Equal(t, 0, b.Layout(api.Execution{ID: "e3", Status: api.StatusRunning}, true, 70, 40), "nothing to answer, no draft: hidden")
}

func TestASentReplyClearsTheDraftAndARefusedOneKeepsIt(t *testing.T) {
	backend := &replier{err: &api.Error{Kind: api.KindInvalid, Message: "execution is not waiting"}}
	b, host, _ := newBox(t, backend)
	p := &onlyBox{b: b}
	b.Focus("e1")
	typeText(b, "Plus")
	panetest.Run(p, host, b.HandleKey(panetest.Key("enter")))
	assert.Equal(t, Failed, b.Phase("e1"))
	assert.Equal(t, "Plus", b.Draft("e1"), "refused: the text is kept")
	assert.Contains(t, host.LastFlash(), "Reply not sent")

	backend.err = nil
	panetest.Run(p, host, b.HandleKey(panetest.Key("enter")))
	assert.Equal(t, Sent, b.Phase("e1"))
	assert.Zero(t, b.Drafts(), "delivered: the draft is gone")
	assert.False(t, b.Focused(), "and the box gives the keyboard back")
	assert.Equal(t, []string{"Plus", "Plus"}, backend.replies)
}

func TestAnAmbiguousFailureIsSettledByTheEcho(t *testing.T) {
	backend := &replier{err: &api.Error{Kind: api.KindTimeout}}
	b, host, _ := newBox(t, backend)
	p := &onlyBox{b: b}
	b.Focus("e1")
	typeText(b, "yes")
	panetest.Run(p, host, b.HandleKey(panetest.Key("enter")))
	assert.Equal(t, Unsure, b.Phase("e1"), "no echo in the feed: it may not have arrived")
	assert.Equal(t, "yes", b.Draft("e1"))

	// The echo arrives in the feed: delivered after all.
	panetest.Run(p, host, b.OnActivities("e1", []api.Activity{{ID: "u1", Kind: api.KindUserMessage, Time: t0, Message: "yes"}}))
	assert.Equal(t, Echoed, b.Phase("e1"), "its echo is the answer")
	assert.Zero(t, b.Drafts())
}

// onlyBox is the box as a pane, for the runner (the executions view
// routes the same way).
type onlyBox struct{ b *Box }

func (o *onlyBox) HandleKey(k tea.KeyPressMsg) (tea.Cmd, bool) { return o.b.HandleKey(k), true }
func (o *onlyBox) HandleMsg(msg tea.Msg) tea.Cmd               { cmd, _ := o.b.HandleMsg(msg); return cmd }
func (o *onlyBox) SetSize(int, int)                            {}
func (o *onlyBox) SetFocused(bool)                             {}
func (o *onlyBox) Render() []string                            { return o.b.Render() }
func (o *onlyBox) ShortHelp() []key.Binding                    { return o.b.ShortHelp() }
func (o *onlyBox) Capturing() bool                             { return o.b.Focused() }

var _ pane.Pane = (*onlyBox)(nil)

// A question answered elsewhere (an approval in Slack) shows with where to
// answer it and no box; the box does not take the keyboard for it.
func TestAReadOnlyQuestionHasNoBox(t *testing.T) {
	ctx, _ := panetest.New(&replier{}, t0)
	asked := api.Execution{ID: "e1", AgentName: "Refund bot", Status: api.StatusPausedByAgent}
	ctx.Snap = poller.NewSnapshot(1, t0, []api.Execution{asked}, 0, map[string]api.InteractionRequest{
		"e1": {ExecutionID: "e1", Question: "Refund $500?", AskedAt: t0.Add(-time.Minute), ReadOnly: true, AnswerWhere: "#refunds (Slack)"}})
	b := New(ctx, "executions", nil)
	h := b.Layout(asked, true, 70, 40)
	require.Positive(t, h)
	lines := b.Render()
	require.Len(t, lines, h)
	joined := ansi.Strip(strings.Join(lines, "\n"))
	assert.Contains(t, joined, "Refund bot asks · waiting 1m00s · answer in #refunds (Slack)")
	assert.Contains(t, joined, "Refund $500?")
	assert.Contains(t, joined, "Answer in #refunds (Slack); agentop cannot send this answer.")
	assert.NotContains(t, joined, "┃", "no text box")
	assert.Nil(t, b.Focus("e1"))
	assert.False(t, b.Focused())
}

// Issue 15: a reply typed into an entry the screen still shows waiting,
// refused because the execution has moved on, says so, keeps the draft,
// and asks the poller to catch up.
func TestARefusedReplyToAnExecutionThatMovedOnSaysSo(t *testing.T) {
	backend := &replier{err: &api.Error{Kind: api.KindInvalid, Message: "execution is completed; it no longer accepts messages"},
		now: &api.Execution{ID: "e1", Status: api.StatusCompleted}}
	b, host, _ := newBox(t, backend)
	p := &onlyBox{b: b}
	b.Focus("e1")
	typeText(b, "Plus")
	panetest.Run(p, host, b.HandleKey(panetest.Key("enter")))
	assert.Equal(t, Failed, b.Phase("e1"))
	assert.Equal(t, "Plus", b.Draft("e1"), "the text is kept")
	assert.Contains(t, host.LastFlash(), "the execution has moved on (completed)")
	e, _ := b.ctx.Snap.Get("e1")
	assert.Contains(t, b.status(e), "this execution has moved on (completed); it no longer takes a reply. Your text is kept.")

	// Still waiting after all (the refusal was about the text): no such claim.
	backend2 := &replier{err: &api.Error{Kind: api.KindInvalid, Message: "message too long"},
		now: &api.Execution{ID: "e1", Status: api.StatusPausedByAgent}}
	b2, host2, _ := newBox(t, backend2)
	b2.Focus("e1")
	typeText(b2, "Plus")
	panetest.Run(&onlyBox{b: b2}, host2, b2.HandleKey(panetest.Key("enter")))
	assert.NotContains(t, host2.LastFlash(), "moved on")
	assert.Contains(t, host2.LastFlash(), "message too long")
}
