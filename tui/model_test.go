package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/reply"
)

func TestFleetAtAGlance(t *testing.T) {
	h := newHarness(t, 140, 40, func(o *Options) { o.Demo = true })
	execs, q := fleet()
	h.snapshot(execs, q)
	v := h.view()
	assert.Contains(t, v, "DEMO")
	assert.Contains(t, v, "NEEDS YOU 2")
	assert.Contains(t, v, "live · updated 0s ago")
	assert.Contains(t, v, "? 2  ● 1  ✓ 1  ✗ 1", "counts per status, waiting first")
	assert.Contains(t, v, "Executions 5")
	// Waiting executions sort first, with their question as last activity.
	lines := strings.Split(v, "\n")
	var rows []string
	for _, l := range lines {
		if strings.Contains(l, "paused_by_agent") || strings.Contains(l, "running") || strings.Contains(l, "completed") {
			rows = append(rows, l)
		}
	}
	require.GreaterOrEqual(t, len(rows), 3)
	assert.Contains(t, rows[0], "asks: Which plan should I pick")
	assert.Contains(t, rows[2], "running")
	assert.Contains(t, v, "Inbox (2)")
}

func TestSelectingAnExecutionFollowsItsFeedAndDropsStaleEvents(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	require.NotEmpty(t, h.src.focus, "the first row is focused")
	first := h.focusID()
	firstGen := h.focusGen()

	h.keys("j")
	assert.NotEqual(t, first, h.focusID())
	assert.Greater(t, h.focusGen(), firstGen)
	assert.Equal(t, h.focusGen(), h.src.gens[len(h.src.gens)-1], "the poller is told the new generation")

	// An event tagged with the previous focus arrives late: dropped.
	h.send(PollMsg{poller.ActivitiesEvent{ExecutionID: first, Focus: firstGen, Reset: true,
		Activities: []api.Activity{{ID: "stale", Text: "STALE LINE", Kind: api.KindGeneric}}}})
	assert.NotContains(t, h.view(), "STALE LINE")

	h.activities(h.focusID(), true, api.Activity{ID: "1", Time: t0, Kind: api.KindActionStarted, Actor: api.ActorAgent, Text: "Opening the portal"})
	assert.Contains(t, h.view(), "Opening the portal")
}

func TestReplyBoxTakesEveryKey(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	assert.Equal(t, "bbbb2222-ask", h.exec().Selected(), "the longest-waiting execution is listed, and selected, first")
	assert.Contains(t, h.view(), "Which plan should I pick: Basic or Plus?")
	h.keys("i")
	require.Equal(t, panePrompt, h.exec().Focus())

	h.typeText("q?:/!1x")
	assert.False(t, h.quit, "q in the reply box does not quit")
	assert.Nil(t, h.overlay(), "? in the reply box does not open help")
	assert.False(t, h.lineOpen(), ": and / in the reply box do not open the command line or a filter")
	assert.Equal(t, viewExecutions, h.viewName(), "1 in the reply box does not switch views")
	assert.Equal(t, "q?:/!1x", h.box().Value())
	assert.Empty(t, h.backend.calls, "x in the reply box does not cancel")

	h.keys("esc")
	assert.Equal(t, paneFeed, h.exec().Focus(), "esc leaves the box")
	assert.Equal(t, "q?:/!1x", h.box().Draft("bbbb2222-ask"), "the draft is kept")
	h.keys("i")
	assert.Equal(t, "q?:/!1x", h.box().Value(), "and comes back")
}

func TestSendingAReplyClearsTheDraftAndShowsTheEcho(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("i")
	h.typeText("Plus, please")
	h.keys("alt+enter")
	h.typeText("and thanks")
	h.keys("enter")
	require.Equal(t, []string{"Plus, please\nand thanks"}, h.backend.replies)
	assert.Zero(t, h.box().Drafts(), "delivered: the draft is gone")
	assert.Contains(t, h.view(), "Sent ✓")
	assert.Positive(t, h.src.nudges, "the poller is nudged to pick up the change")

	h.activities("bbbb2222-ask", false, api.Activity{ID: "echo", Time: t0, Kind: api.KindUserMessage, Actor: api.ActorUser,
		Text: "Plus, please and thanks", Message: "Plus, please\nand thanks"})
	assert.Contains(t, h.view(), "Delivered ✓")
}

func TestAFailedSendKeepsTheDraftWithTheError(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.backend.replyErr = &api.Error{Kind: api.KindInvalid, StatusCode: 400, Message: "execution is not waiting"}
	h.keys("i")
	h.typeText("Basic")
	h.keys("enter")
	v := h.view()
	assert.Contains(t, v, "Not sent:")
	assert.Contains(t, v, "execution is not waiting")
	assert.Equal(t, "Basic", h.box().Value(), "what was typed is still there")
	assert.Equal(t, "Basic", h.box().Draft("bbbb2222-ask"))
	assert.Equal(t, panePrompt, h.exec().Focus())
}

func TestAnAmbiguousFailureChecksTheFeedBeforeOfferingAResend(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("i")
	h.typeText("Basic")

	// Timed out and not in the feed: offer to resend, keep the text.
	h.backend.replyErr = &api.Error{Kind: api.KindTimeout, Message: "deadline exceeded"}
	h.keys("enter")
	assert.True(t, h.backend.called("activities bbbb2222-ask"), "the feed was checked for the echo")
	assert.Contains(t, h.view(), "It may not have arrived")
	assert.Equal(t, "Basic", h.box().Value())

	// Timed out again, but this time the echo is in the feed: it arrived.
	h.backend.acts["bbbb2222-ask"] = []api.Activity{{ID: "e", Kind: api.KindUserMessage, Time: t0, Message: "Basic", Text: "Basic"}}
	h.keys("enter")
	assert.Equal(t, reply.Sent, h.box().Phase("bbbb2222-ask"))
	assert.Empty(t, h.box().Value(), "not sent twice: the draft is cleared")
}

func TestNextWaitingCyclesOldestFirst(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("aaaa1111-run")
	h.keys("!")
	assert.Equal(t, "bbbb2222-ask", h.exec().Selected(), "asked 4 minutes ago")
	h.keys("!")
	assert.Equal(t, "eeee5555-ask", h.exec().Selected(), "asked 2 minutes ago")
	h.keys("!")
	assert.Equal(t, "bbbb2222-ask", h.exec().Selected(), "and around again")

	// A filter that hides the waiting one is cleared to show it.
	h.keys("/")
	h.typeText("completed")
	h.keys("enter")
	require.Equal(t, "completed", h.filter())
	h.keys("!")
	assert.Empty(t, h.filter())
	assert.Equal(t, "bbbb2222-ask", h.exec().Selected(), "from a row that is not waiting: the oldest")
}

func TestCancelAsksAndDefaultsToKeepingIt(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("aaaa1111-run")

	h.keys("x")
	require.IsType(t, &overlay.Confirm{}, h.overlay())
	assert.Contains(t, h.view(), "Cancel execution?")
	h.keys("enter")
	assert.Nil(t, h.overlay())
	assert.False(t, h.backend.called("cancel aaaa1111-run"), "enter alone keeps it running")

	h.keys("x", "right", "enter")
	assert.True(t, h.backend.called("cancel aaaa1111-run"), "moving to the cancel button and pressing enter cancels")

	h.keys("x", "y")
	assert.Equal(t, 2, strings.Count(strings.Join(h.backend.calls, ","), "cancel aaaa1111-run"), "y confirms")
	assert.Contains(t, h.view(), "Cancelled aaaa1111")
}

func TestImpossibleActionsExplainThemselves(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("cccc3333-ok")
	h.keys("p")
	assert.Contains(t, h.view(), "Only a running execution can be paused")
	h.keys("x")
	assert.Nil(t, h.overlay())
	assert.Contains(t, h.view(), "has already ended")
	assert.Empty(t, h.backend.calls)

	h.selectExec("bbbb2222-ask")
	h.keys("r")
	assert.Contains(t, h.view(), "waiting for an answer: reply to it")
}

func TestActionFailureIsAFlashNotACrash(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("aaaa1111-run")
	h.backend.errs["pause"] = &api.Error{Kind: api.KindServer, StatusCode: 503, Message: "upstream unavailable"}
	h.keys("p")
	assert.Contains(t, h.view(), "Could not pause aaaa1111: server error (HTTP 503): upstream unavailable")
	assert.False(t, h.quit)
}

func TestReadOnlyRemovesEveryMutatingKey(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.ReadOnly = true })
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("p", "x", "r", "i", "e")
	assert.Empty(t, h.backend.calls)
	assert.Nil(t, h.overlay(), "no confirmation, no form")
	assert.NotEqual(t, panePrompt, h.exec().Focus())
	v := h.view()
	assert.Contains(t, v, "READ-ONLY")
	assert.NotContains(t, v, "x cancel")

	h.keys("?")
	screen := strings.Split(h.view(), "\n")
	help := strings.Join(screen[:len(screen)-1], "\n") // the footer's flash says the last key is off
	for _, gone := range []string{"pause", "resume", "cancel (asks first)", "reply to the agent", "execute an agent", "new profile"} {
		assert.NotContains(t, help, gone)
	}
	assert.Contains(t, help, "jump to the next execution waiting for you")
}

func TestAgentTextRendersInert(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	evil := "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b[31mPWNED\u202e"
	execs[1].AgentName = "Agent" + evil
	w := q["bbbb2222-ask"]
	w.Question = "Question" + evil
	q["bbbb2222-ask"] = w
	h.snapshot(execs, q)
	h.activities("bbbb2222-ask", true, api.Activity{ID: "1", Time: t0, Kind: api.KindGeneric, Text: "feed" + evil, Message: "feed" + evil})
	raw := h.m.render()
	for _, bad := range []string{"\x1b]52", "\x1b[2J", "\x1b[31mPWNED", "\u202e", "\x07"} {
		assert.NotContains(t, raw, bad)
	}
	assert.Contains(t, h.view(), "PWNED", "the text itself is shown, inert")
}

func TestFilterNarrowsAndEscClears(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("/")
	h.typeText("supplier")
	assert.Contains(t, h.view(), "Executions 2 of 5")
	h.keys("enter")
	assert.False(t, h.lineOpen())
	assert.Contains(t, h.view(), "/supplier")
	h.keys("esc")
	assert.Contains(t, h.view(), "Executions 5")
}

func TestCommandLineSwitchesViews(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys(":")
	h.typeText("inb")
	h.keys("enter")
	assert.Equal(t, viewInbox, h.viewName())
	v := h.view()
	assert.Contains(t, v, "Needs you 2")
	assert.Contains(t, v, "Please send the 2FA code.")
	assert.Contains(t, v, "4m00s", "how long each has waited")

	h.keys(":")
	h.typeText("nonsense")
	h.keys("enter")
	assert.Contains(t, h.view(), "Unknown command :nonsense")

	// Enter on an inbox row jumps there with the reply box open.
	h.keys("enter")
	assert.Equal(t, viewExecutions, h.viewName())
	assert.Equal(t, panePrompt, h.exec().Focus())
	assert.Equal(t, "bbbb2222-ask", h.box().ExecID())
}

func TestNewQuestionRingsTheBellEvenOffScreen(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("2") // another view
	h.send(PollMsg{poller.InteractionEvent{Request: api.InteractionRequest{ExecutionID: "eeee5555-ask", AgentName: "Supplier portal checker", Question: "Please send the 2FA code."}}})
	assert.Equal(t, []string{"\a"}, h.raw)
	assert.Contains(t, h.view(), "Supplier portal checker asks: Please send the 2FA code.")

	h2 := newHarness(t, 120, 36, func(o *Options) { o.Notify = NotifyOSC9 })
	h2.send(PollMsg{poller.InteractionEvent{Request: api.InteractionRequest{AgentName: "A\x1b]0;x\x07", Question: "Q\x07?"}}})
	require.Len(t, h2.raw, 1)
	assert.True(t, strings.HasPrefix(h2.raw[0], "\x1b]9;"))
	assert.Equal(t, 1, strings.Count(h2.raw[0], "\x07"), "the text cannot terminate the sequence early")
}

func TestTooSmallAsksToEnlarge(t *testing.T) {
	h := newHarness(t, 50, 12)
	assert.Contains(t, h.view(), "agentop needs at least 60×16")
	assert.Contains(t, h.view(), "This terminal is 50×12")
}

func TestConnectionTroubleIsShownNotFatal(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.send(PollMsg{poller.ConnectionEvent{State: poller.Offline, LastSuccess: t0.Add(-time.Minute), Err: errors.New("connection refused"), NextRetry: t0.Add(8 * time.Second)}})
	v := h.view()
	assert.Contains(t, v, "offline")
	assert.Contains(t, v, "retry in 8s")
	assert.Contains(t, v, "data from 1m00s ago")
	assert.Contains(t, v, "Executions 5", "the last data stays on screen")
}

func TestExecuteFormStartsAnExecutionAndSelectsIt(t *testing.T) {
	h := newHarness(t, 120, 40)
	execs, q := fleet()
	h.send(PollMsg{poller.CatalogEvent{Agents: []api.Agent{{ID: "agent-invoice", Name: "Invoice downloader"}},
		Profiles: []api.Profile{{ID: "p1", Name: "prod-eu"}}, Pools: []api.ProfilePool{{ID: "pool1", Name: "eu"}}}})
	h.snapshot(execs, q)
	h.keys("e")
	require.IsType(t, &overlay.Form{}, h.overlay())
	h.keys("tab", "right") // profile: prod-eu
	h.keys("tab", "right") // pool: eu
	h.keys("ctrl+s")
	assert.Contains(t, h.view(), "choose a profile or a pool, not both")
	h.keys("left", "tab") // pool back to none
	h.typeText("region=EU")
	h.keys("tab")
	h.typeText("ticket=OPS-12")
	h.keys("tab")
	h.typeText("3")
	h.keys("ctrl+s")
	require.Len(t, h.backend.executed, 1)
	req := h.backend.executed[0]
	assert.Equal(t, "p1", req.ProfileID)
	assert.Equal(t, map[string]any{"region": "EU"}, req.Inputs)
	assert.Equal(t, map[string]string{"ticket": "OPS-12"}, req.Metadata)
	assert.Equal(t, 3, req.Version)
	assert.Nil(t, h.overlay())
	assert.Contains(t, h.view(), "execution new-exec")

	// It is selected when it shows up.
	execs = append(execs, mkExec("new-exec-0001", "Invoice downloader", api.StatusStarting, 0))
	h.snapshot(execs, q)
	assert.Equal(t, "new-exec-0001", h.exec().Selected())
}

func TestFormKeepsTypedTextWhenSubmittingFailsAndAsksBeforeDiscarding(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.send(PollMsg{poller.CatalogEvent{Profiles: []api.Profile{}}})
	h.keys("3", "n")
	require.IsType(t, &overlay.Form{}, h.overlay())
	h.typeText("prod-eu")
	h.backend.errs["create-profile"] = &api.Error{Kind: api.KindInvalid, StatusCode: 400, Message: "name already exists"}
	h.keys("ctrl+s")
	f := h.overlay().(*overlay.Form)
	assert.Contains(t, h.view(), "name already exists")
	assert.Equal(t, "prod-eu", f.Get("name").Value())
	h.keys("esc")
	assert.NotNil(t, h.overlay(), "typed text: esc asks first")
	assert.Contains(t, h.view(), "press esc again to discard")
	h.keys("esc")
	assert.Nil(t, h.overlay())
}

func TestProfileFormSendsSecretsForEncryptionAndNeverShowsThem(t *testing.T) {
	h := newHarness(t, 120, 44)
	h.send(PollMsg{poller.CatalogEvent{Profiles: []api.Profile{{ID: "p1", Name: "prod-eu",
		Credentials: []api.CredentialRef{{ID: "c1", Name: "portal_password"}}}}}})
	h.keys("3")
	assert.Contains(t, h.view(), "prod-eu")
	h.keys("enter")
	assert.Contains(t, h.view(), "portal_password")
	assert.Contains(t, h.view(), "••••••")
	h.keys("esc", "e")
	f := h.overlay().(*overlay.Form)
	for f.Focused() != "credName" {
		h.keys("tab")
	}
	h.typeText("totp_seed")
	h.keys("tab")
	h.typeText("JBSWY3DPEHPK3PXP")
	assert.NotContains(t, h.view(), "JBSWY3DPEHPK3PXP", "the secret is masked while typed")
	h.keys("ctrl+s")
	require.Len(t, h.backend.updates, 1)
	assert.Equal(t, []api.Secret{{Name: "totp_seed", Value: "JBSWY3DPEHPK3PXP"}}, h.backend.updates[0].AddCredentials)
	assert.Nil(t, h.backend.updates[0].Name, "unchanged fields are not sent")
	assert.Positive(t, h.src.refresh, "the profiles are listed again")
}

func TestDeleteProfileConfirms(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.send(PollMsg{poller.CatalogEvent{Profiles: []api.Profile{{ID: "p1", Name: "prod-eu"}}}})
	h.keys("3", "D")
	assert.Contains(t, h.view(), "Delete profile prod-eu?")
	h.keys("enter")
	assert.Empty(t, h.backend.calls, "the default keeps it")
	h.keys("D", "y")
	assert.True(t, h.backend.called("delete-profile p1"))
}

func TestDetailShowsResultMetadataAndFiles(t *testing.T) {
	h := newHarness(t, 120, 44)
	execs, q := fleet()
	execs[2].Metadata = map[string]string{"batch": "2026-11"}
	execs[2].RecordingURL = "https://rec.example/x.mp4"
	execs[2].Result.Data = []byte(`{"invoices": 12}`)
	h.snapshot(execs, q)
	h.selectExec("cccc3333-ok")
	h.keys("d")
	v := h.view()
	for _, want := range []string{"success", "All invoices downloaded", `"invoices": 12`, "batch", "2026-11", "https://rec.example/x.mp4", "downloads/invoice.pdf", "2.0 KB"} {
		assert.Contains(t, v, want)
	}
}

func TestFeedKeys(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	id := h.focusID()
	var acts []api.Activity
	for i := range 40 {
		acts = append(acts, api.Activity{ID: string(rune('a' + i)), Time: t0, Kind: api.KindGeneric, Text: "line " + string(rune('A'+i))})
	}
	h.activities(id, true, acts...)
	h.keys("enter") // focus the feed
	require.Equal(t, paneFeed, h.exec().Focus())
	f := h.exec().CurrentFeed()
	assert.True(t, f.Following())
	h.keys("k")
	assert.False(t, f.Following())
	h.keys("G")
	assert.True(t, f.Following())
	h.keys("space")
	assert.Contains(t, h.view(), "PAUSED")
	h.activities(id, false, api.Activity{ID: "new", Time: t0, Kind: api.KindGeneric, Text: "arrived while paused"})
	assert.Contains(t, h.view(), "(1 new)")
	assert.NotContains(t, h.view(), "arrived while paused")
	h.keys("space")
	assert.Contains(t, h.view(), "arrived while paused")
	h.keys("/")
	h.typeText("while paused")
	h.keys("enter")
	assert.Contains(t, h.view(), "/while paused  1/1")
	h.keys("w")
	assert.True(t, f.Wrapping())
}

func TestQuitSavesDrafts(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, 120, 36, func(o *Options) { o.StateDir = dir })
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("i")
	h.typeText("half an answer")
	h.keys("ctrl+c")
	assert.True(t, h.quit)
	saved, err := h.m.DraftStore().Load(time.Now())
	require.NoError(t, err)
	assert.Equal(t, "half an answer", saved["bbbb2222-ask"].Text)

	// A new session finds it.
	h2 := newHarness(t, 120, 36, func(o *Options) { o.StateDir = dir })
	h2.run(h2.m.Init())
	h2.snapshot(execs, q)
	h2.keys("i")
	assert.Equal(t, "half an answer", h2.box().Value())
}

// TestEveryLineFitsTheScreen checks every line of every screen is exactly
// the terminal's width (panes build lines to width; frames do not measure).
func TestEveryLineFitsTheScreen(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 36}, {160, 48}, {60, 16}} {
		h := newHarness(t, size[0], size[1])
		execs, q := fleet()
		execs[0].AgentName = "日本語のエージェント名 with wide characters"
		h.send(PollMsg{poller.CatalogEvent{Agents: []api.Agent{{ID: "agent-invoice", Name: "Invoice downloader", Description: "Downloads invoices"}},
			Profiles: []api.Profile{{ID: "p1", Name: "prod-eu"}}, Pools: []api.ProfilePool{{ID: "x", Name: "eu"}}}})
		h.snapshot(execs, q)
		h.activities(h.focusID(), true, api.Activity{ID: "1", Time: t0, Kind: api.KindReasoning, Actor: api.ActorAgent, Text: strings.Repeat("long reasoning ", 20)})
		check := func(what string) {
			t.Helper()
			lines := strings.Split(h.view(), "\n")
			require.Len(t, lines, size[1], "%s at %dx%d: line count", what, size[0], size[1])
			for i, l := range lines {
				assert.Equal(t, size[0], ansi.StringWidth(l), "%s at %dx%d, line %d: %q", what, size[0], size[1], i, l)
			}
		}
		check("executions")
		h.keys("i")
		check("reply box")
		h.keys("esc", "enter", "w")
		check("feed wrapped")
		h.keys("z")
		check("feed zoomed")
		h.keys("shift+tab")
		check("table zoomed")
		h.keys("z")
		for _, v := range []string{"2", "3", "4", "5", "7", "0"} {
			h.keys(v)
			check("view " + v)
		}
		h.keys("1", "?")
		check("help")
		h.keys("esc", "d")
		check("detail")
		h.keys("esc", "x")
		check("confirm")
	}
}

func TestListViewsSortByColumn(t *testing.T) {
	h := newHarness(t, 120, 36)
	h.send(PollMsg{poller.CatalogEvent{Profiles: []api.Profile{
		{ID: "p1", Name: "beta", UpdatedAt: t0.Add(-time.Hour)},
		{ID: "p2", Name: "alpha", UpdatedAt: t0.Add(-48 * time.Hour)},
		{ID: "p3", Name: "gamma", UpdatedAt: t0},
	}}})
	h.keys("3")
	names := func() []string {
		var out []string
		for _, l := range strings.Split(h.view(), "\n") {
			for _, n := range []string{"alpha", "beta", "gamma"} {
				if strings.Contains(l, "│"+n) {
					out = append(out, n)
				}
			}
		}
		return out
	}
	assert.Equal(t, []string{"alpha", "beta", "gamma"}, names(), "by name")
	assert.Contains(t, h.view(), "by name ↓")
	h.keys("s")
	assert.Equal(t, []string{"gamma", "beta", "alpha"}, names(), "by most recently updated")
	h.keys("S")
	assert.Equal(t, []string{"alpha", "beta", "gamma"}, names(), "reversed")
	assert.Contains(t, h.view(), "by updated ↑")
}

func TestBracketsStepThroughTheViewsThePlatformHas(t *testing.T) {
	h := newHarness(t, 120, 36)
	h.keys("]")
	assert.Equal(t, viewAgents, h.viewName())
	h.keys("[", "[")
	assert.Equal(t, viewInbox, h.viewName(), "wraps around")

	h2 := newHarness(t, 120, 36, func(o *Options) {
		b := newFakeBackend()
		b.caps.Profiles, b.caps.Pools = false, false
		o.Backend = b
	})
	h2.keys("]", "]")
	assert.Equal(t, viewInbox, h2.viewName(), "no profiles or pools on this platform")
	assert.NotContains(t, h2.view(), "Profiles")
	h2.keys("3")
	assert.Equal(t, viewInbox, h2.viewName(), "its number key is refused too")
	assert.Contains(t, h2.view(), "This platform has no profiles.")
}

func TestTheTableSaysLoadingUntilItsFirstRowsArrive(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	snap := poller.NewSnapshot(1, t0, execs, 0, q)
	h.m.Update(PollMsg{poller.SnapshotEvent{Snapshot: snap}}) // the rows Cmd has not run yet
	v := h.view()
	assert.Contains(t, v, "Loading executions…")
	assert.NotContains(t, v, "Nothing matches")
}

func TestHeaderShowsTheEndpointHost(t *testing.T) {
	h := newHarness(t, 140, 36, func(o *Options) { o.BaseURL = "https://odyssey.asteroid.ai" })
	assert.Contains(t, h.view(), "test · odyssey.asteroid.ai")
	d := newHarness(t, 140, 36, func(o *Options) { o.BaseURL = "http://127.0.0.1:4242"; o.Demo = true })
	assert.NotContains(t, d.view(), "127.0.0.1", "the demo says DEMO, not a random port")
}
