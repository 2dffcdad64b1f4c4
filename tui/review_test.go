package tui

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/drafts"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/reply"
)

// Regression tests for ways a reply could go astray, be lost or be sent
// twice, and for the rest of the review of the dashboard.

func TestInboxReplyToAFilteredOutExecutionAddressesThatExecution(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("/")
	h.typeText("invoice") // hides both waiting executions
	h.keys("enter")
	h.selectExec("aaaa1111-run")
	h.keys("5", "enter") // the oldest waiting: bbbb2222-ask
	require.Equal(t, panePrompt, h.exec().Focus())
	assert.Equal(t, "bbbb2222-ask", h.box().ExecID())
	assert.Contains(t, h.view(), "Which plan should I pick")
	h.typeText("Plus")
	h.keys("enter")
	assert.Equal(t, []string{"reply bbbb2222-ask"}, h.backend.calls)
}

func TestTheExecutionBeingAnsweredLeavingTheListClosesTheBox(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("/")
	h.typeText("paused")
	h.keys("enter", "i")
	h.typeText("Basic")
	// Answered elsewhere: it is no longer paused, so the filter drops it.
	execs[1].Status = api.StatusRunning
	delete(q, "bbbb2222-ask")
	h.snapshot(execs, q)
	assert.NotEqual(t, panePrompt, h.exec().Focus(), "the box does not now address another execution")
	assert.Contains(t, h.view(), "no longer listed; your draft is kept")
	assert.Equal(t, "Basic", h.box().Draft("bbbb2222-ask"))
	h.keys("enter")
	assert.Empty(t, h.backend.replies)
}

func TestAnEchoAfterATimeoutSettlesTheReply(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("i")
	h.typeText("Basic")
	h.backend.replyErr = &api.Error{Kind: api.KindTimeout}
	h.keys("enter") // timeout; the check finds nothing yet
	require.Equal(t, reply.Unsure, h.box().Phase("bbbb2222-ask"))
	h.activities("bbbb2222-ask", false, api.Activity{ID: "echo", Kind: api.KindUserMessage, Time: t0, Message: "Basic", Text: "Basic"})
	assert.Zero(t, h.box().Drafts(), "delivered after all: the draft is gone")
	assert.Contains(t, h.view(), "Delivered ✓")
	h.backend.replyErr = nil
	h.keys("i", "enter")
	assert.Empty(t, h.backend.replies, "nothing to send again")
}

func TestAnEarlierIdenticalAnswerIsNotTheEcho(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	// The operator already answered "yes" to an earlier question.
	h.activities("bbbb2222-ask", true, api.Activity{ID: "old", Kind: api.KindUserMessage, Time: t0.Add(-30 * time.Second), Message: "yes", Text: "yes"})
	h.backend.acts["bbbb2222-ask"] = []api.Activity{{ID: "old", Kind: api.KindUserMessage, Time: t0.Add(-30 * time.Second), Message: "yes"}}
	h.keys("i")
	h.typeText("yes")
	h.backend.replyErr = &api.Error{Kind: api.KindNetwork}
	h.keys("enter")
	assert.Equal(t, reply.Unsure, h.box().Phase("bbbb2222-ask"), "the old 'yes' does not count")
	assert.Equal(t, "yes", h.box().Value())
}

func TestASendInterruptedByARestartIsCheckedBeforeItIsSentAgain(t *testing.T) {
	dir := t.TempDir()
	store := drafts.Open(dir, "test")
	require.NoError(t, store.Save(1, map[string]drafts.Draft{
		"bbbb2222-ask": {Text: "Plus", Updated: t0, SentAt: t0},
		"eeee5555-ask": {Text: "123456", Updated: t0, SentAt: t0},
	}))
	h := newHarness(t, 120, 36, func(o *Options) { o.StateDir = dir })
	h.run(h.m.Init())
	execs, q := fleet()
	h.snapshot(execs, q)
	assert.Contains(t, h.view(), "It may not have arrived")

	// It did arrive: enter finds the echo and sends nothing.
	h.backend.acts["bbbb2222-ask"] = []api.Activity{{ID: "e", Kind: api.KindUserMessage, Time: t0, Message: "Plus"}}
	h.keys("i", "enter")
	assert.Empty(t, h.backend.replies)
	assert.Equal(t, reply.Sent, h.box().Phase("bbbb2222-ask"))

	// It did not: enter checks, then sends.
	h.keys("esc")
	h.selectExec("eeee5555-ask")
	h.keys("i", "enter")
	assert.True(t, h.backend.called("activities eeee5555-ask"))
	assert.Equal(t, []string{"123456"}, h.backend.replies)
}

func TestAnUnreadableDraftsFileIsNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	store := drafts.Open(dir, "test")
	require.NoError(t, os.MkdirAll(strings.TrimSuffix(store.Path(), "test.json"), 0o700))
	require.NoError(t, os.WriteFile(store.Path(), []byte("{corrupt"), 0o600))
	h := newHarness(t, 120, 36, func(o *Options) { o.StateDir = dir })
	h.run(h.m.Init())
	assert.Contains(t, h.view(), "could not be read")
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("i")
	h.typeText("a new draft")
	h.keys("ctrl+c")
	require.NoError(t, h.m.SaveDrafts())
	b, err := os.ReadFile(store.Path())
	require.NoError(t, err)
	assert.Equal(t, "{corrupt", string(b), "the operator's old drafts are still there to recover")
}

func TestAFormClosedWhileWorkingDoesNotMoveTheKeyboardLater(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.send(PollMsg{poller.CatalogEvent{Agents: []api.Agent{{ID: "agent-invoice", Name: "Invoice downloader"}}}})
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("e")
	f := h.overlay().(*overlay.Form)
	cmd, err := f.Submit(f) // the request goes out…
	require.NoError(t, err)
	h.keys("esc") // …and the operator closes the form and starts typing an answer
	h.keys("i")
	h.typeText("Pl")
	h.run(cmd) // the execute finishes now
	assert.Equal(t, panePrompt, h.exec().Focus())
	h.typeText("us")
	assert.Equal(t, "Plus", h.box().Value())
	assert.Contains(t, h.view(), "Started ", "the outcome is still reported")
}

func TestStartUpNoticeCountsEveryWaitingAgent(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	snap := poller.NewSnapshot(1, t0, execs, 0, q)
	// As the poller sends them: the questions before the first snapshot.
	h.send(PollMsg{
		poller.InteractionEvent{Request: q["bbbb2222-ask"], Initial: true},
		poller.InteractionEvent{Request: q["eeee5555-ask"], Initial: true},
		poller.SnapshotEvent{Snapshot: snap},
	})
	assert.Contains(t, h.view(), "2 agents are waiting for you")
	assert.Len(t, h.raw, 1, "one notification for all of them")
}

func TestHostileExecutionIDsRenderInert(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	bad := "a\x1b]0;pwn\x07bcdefghij"
	execs[0].ID = bad
	h.snapshot(execs, q)
	h.selectExec(bad)
	h.activities(bad, true, api.Activity{ID: "1", Time: t0, Kind: api.KindGeneric, Text: "x"})
	raw := h.m.render()
	assert.NotContains(t, raw, "\x1b]0;")
	assert.NotContains(t, raw, "\x07")
}

func TestLookingAtAnExecutionAgainKeepsItsFeed(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	var many []api.Activity
	for i := range 120 {
		many = append(many, api.Activity{ID: string(rune(0x4e00 + i)), Time: t0, Kind: api.KindGeneric, Text: "entry"})
	}
	h.activities("bbbb2222-ask", true, many...)
	h.keys("j", "k") // away and back: a new focus generation, a fresh window of 50
	h.activities("bbbb2222-ask", true, many[70:]...)
	assert.Equal(t, 120, h.exec().CurrentFeed().Len(), "the history held is kept")
}

func TestAShortTerminalNeverHidesTheReplyBoxOrItsOutcome(t *testing.T) {
	h := newHarness(t, 60, 16)
	execs, q := fleet()
	w := q["bbbb2222-ask"]
	w.Question = strings.Repeat("A rather long question that wraps over several lines. ", 4)
	q["bbbb2222-ask"] = w
	h.snapshot(execs, q)
	h.backend.replyErr = &api.Error{Kind: api.KindInvalid, StatusCode: 400, Message: "nope"}
	h.keys("i")
	h.typeText("Basic")
	h.keys("enter")
	v := h.view()
	assert.Contains(t, v, "Basic", "what was typed is on screen")
	assert.Contains(t, v, "Not sent", "and what became of it")
}

func TestAHiddenAgentsPaneGivesUpTheKeyboard(t *testing.T) {
	h := newHarness(t, 140, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("shift+tab")
	require.Equal(t, paneAgents, h.exec().Focus())
	h.send(windowSize(80, 24))
	assert.Equal(t, paneTable, h.exec().Focus())
	h.keys("j")
	assert.Empty(t, h.agentFilter(), "j moved the table, not a hidden agent filter")
}

func TestATailErrorOfAnEarlierFocusIsNotShown(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	old := h.focusGen()
	h.keys("j")
	h.send(PollMsg{poller.ErrorEvent{Op: "follow activities", Err: &api.Error{Kind: api.KindServer}, Focus: old}})
	assert.NotContains(t, h.view(), "follow activities")
}
