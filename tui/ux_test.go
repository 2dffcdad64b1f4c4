package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/views/executions"
)

// approvalFleet is the small fleet with one execution awaiting
// confirmation.
func approvalFleet() ([]api.Execution, map[string]api.InteractionRequest) {
	execs, q := fleet()
	execs = append(execs, mkExec("ffff6666-ok?", "Payment runner", api.StatusAwaitingConfirmation, time.Minute))
	q["ffff6666-ok?"] = api.InteractionRequest{ExecutionID: "ffff6666-ok?", AgentName: "Payment runner",
		Question: "Submit the payment of €40?", AskedAt: t0.Add(-30 * time.Second)}
	return execs, q
}

// Issue 12 #1: an approval needs you as much as a question: the badge
// counts it, the inbox says what each wants and the key, the reply area
// shows what to approve with the keys that approve and refuse (no text
// box), and the bell rings for it.
func TestApprovalsNeedYouAndSayHow(t *testing.T) {
	h := newHarness(t, 120, 40)
	execs, q := approvalFleet()
	h.snapshot(execs, q)
	assert.Contains(t, h.view(), "NEEDS YOU 3")

	h.keys("5")
	inbox := h.view()
	assert.Contains(t, inbox, "approve · r")
	assert.Contains(t, inbox, "answer · i")
	assert.Contains(t, inbox, "Submit the payment of €40?")

	h.keys("1")
	h.selectExec("ffff6666-ok?")
	screen := h.view()
	assert.Contains(t, screen, "Payment runner asks for approval")
	assert.Contains(t, screen, "r approve (resume) · x refuse (cancel)")
	assert.NotContains(t, screen, "Type your answer")
	h.keys("i")
	assert.Contains(t, h.view(), "It asks for an approval, not an answer")
	h.keys("r")
	assert.True(t, h.backend.called("resume ffff6666-ok?"), "r approves")

	h.send(PollMsg{poller.InteractionEvent{Request: q["ffff6666-ok?"]}})
	h.send(tickMsg(t0.Add(5 * time.Second))) // after the feedback on r had its time
	assert.Contains(t, h.view(), "Payment runner asks for approval: Submit the payment of €40?")
	require.NotEmpty(t, h.raw)
	assert.Equal(t, "\a", h.raw[len(h.raw)-1])
}

// Issue 12 #6: read-only shows the question without a text box and says
// why; the keys that are off say so instead of doing nothing.
func TestReadOnlyShowsTheQuestionAndSaysWhyKeysAreOff(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.ReadOnly = true })
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("bbbb2222-ask")
	screen := h.view()
	assert.Contains(t, screen, "Which plan should I pick")
	assert.NotContains(t, screen, "Type your answer")
	assert.Contains(t, screen, "Read-only (--read-only): answering, pausing and cancelling are off.")
	for _, k := range []string{"i", "x", "e", "p"} {
		h.keys(k)
		assert.Contains(t, h.view(), "Read-only (--read-only): "+k+" (", "key %s", k)
	}
}

// Issue 12 #2: a refused key is not "offline" and "Loading…" forever: the
// header and the empty table say the platform refused the key and what to
// fix, for as long as it does.
func TestARefusedKeyIsShownWithWhatToFix(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.send(PollMsg{poller.ConnectionEvent{State: poller.Offline, Err: &api.Error{Kind: api.KindUnauthorized, StatusCode: 401}, NextRetry: t0.Add(time.Minute)}})
	screen := h.view()
	assert.Contains(t, screen, "✗ unauthorized: check the API key")
	assert.NotContains(t, screen, "Loading executions")
	assert.Contains(t, screen, "The platform refused the API key (401 unauthorized)")
	assert.Contains(t, screen, "agentop config view")
	h.send(tickMsg(t0.Add(time.Minute)))
	assert.Contains(t, h.view(), "refused the API key", "still there after the flash would have gone")
	h.keys("3")
	assert.Contains(t, h.view(), "refused the API key", "the profiles list says it too")

	h.send(PollMsg{poller.ConnectionEvent{State: poller.Live, LastSuccess: t0}})
	assert.NotContains(t, h.view(), "refused")
}

// Issue 12 #14: below 100 columns, a (the agents pane) says why nothing
// happens.
func TestTheAgentsKeySaysWhyOnANarrowScreen(t *testing.T) {
	h := newHarness(t, 80, 24)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("a")
	assert.Contains(t, h.view(), "The agents pane needs 100 columns; this terminal is 80.")
}

// Issue 12 #5: a new question does not overwrite action feedback: the
// error keeps its time, the notice follows it, and :messages keeps both.
func TestFeedbackKeepsItsTimeAndMessagesKeepsIt(t *testing.T) {
	h := newHarness(t, 120, 30)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.backend.errs["pause"] = &api.Error{Kind: api.KindServer, StatusCode: 500, Message: "not running"}
	h.selectExec("aaaa1111-run")
	h.keys("p")
	require.Contains(t, h.view(), "Could not pause aaaa1111")

	h.send(PollMsg{poller.InteractionEvent{Request: q["eeee5555-ask"]}})
	assert.Contains(t, h.view(), "Could not pause aaaa1111", "the error keeps its time")
	h.send(tickMsg(t0.Add(11 * time.Second)))
	assert.Contains(t, h.view(), "Supplier portal checker asks: Please send the 2FA code.", "then the notice")

	h.keys(":")
	h.typeText("messages")
	h.keys("enter")
	screen := h.view()
	assert.Contains(t, screen, "Messages")
	assert.Contains(t, screen, "error Could not pause aaaa1111")
	assert.Contains(t, screen, "warn  Supplier portal checker asks")
	assert.Contains(t, screen, "0 Messages", "its tab shows while it is current")
}

// Issue 12 #13: what the table shows holds still unless it truly changed:
// an ended run shows its outcome whether or not its last activity arrived,
// a completed run that failed at its task shows ✗ and the outcome, and the
// agents pane keeps its order (and the agent picked) as questions come
// and go.
func TestTheTableHoldsStill(t *testing.T) {
	h := newHarness(t, 140, 40)
	execs, q := fleet()
	execs = append(execs, mkExec("gggg7777-meh", "Payment runner", api.StatusCompleted, 30*time.Minute))
	execs[len(execs)-1].Result = &api.Result{Outcome: "failure", Reasoning: "The portal rejected the card"}
	h.snapshot(execs, q)
	row := func(id string) string {
		for _, l := range strings.Split(h.view(), "\n") {
			if strings.Contains(l, id) {
				return l
			}
		}
		return ""
	}
	before := row("cccc3333")
	assert.Contains(t, before, "success: All invoices downloaded")
	h.send(PollMsg{poller.LastActivityEvent{Latest: map[string]api.Activity{"cccc3333-ok": {ID: "z", Text: "navigated to the logout page"}}}})
	assert.Equal(t, before, row("cccc3333"), "the outcome stays when the last activity arrives")
	assert.Contains(t, row("gggg7777"), "✗ completed")
	assert.Contains(t, row("gggg7777"), "failure: The portal rejected")

	agentsOrder := func() []string {
		var names []string
		for _, l := range strings.Split(h.view(), "\n") {
			for _, n := range []string{"Insurance quote", "Invoice downloader", "Payment runner", "Supplier portal"} {
				if strings.HasPrefix(l, "│"+n) {
					names = append(names, n)
				}
			}
		}
		return names
	}
	first := agentsOrder()
	require.Len(t, first, 4)
	h.keys("shift+tab", "down", "down") // the agents pane: Invoice downloader
	_, agent := h.exec().Narrowed()
	require.Equal(t, "agent-invoice", agent)
	execs[1].Status = api.StatusRunning // a question was answered; another agent asks
	execs[0].Status = api.StatusPausedByAgent
	delete(q, "bbbb2222-ask")
	q["aaaa1111-run"] = api.InteractionRequest{ExecutionID: "aaaa1111-run", Question: "Which month?", AskedAt: t0}
	h.snapshot(execs, q)
	assert.Equal(t, first, agentsOrder(), "the agents pane does not re-sort")
	_, agent = h.exec().Narrowed()
	assert.Equal(t, "agent-invoice", agent)
}

// Issue 12 #7: the filter takes field terms and negation, puts substring
// matches first and the cursor on the first match.
func TestTheFilterTakesFieldsAndNegationAndSelectsTheFirstMatch(t *testing.T) {
	h := newHarness(t, 140, 40)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("aaaa1111-run")
	filter := func(s string) {
		h.keys("/")
		h.typeText(s)
		h.keys("enter")
	}
	filter("status:paused")
	assert.Equal(t, 2, h.exec().Rows())
	assert.Equal(t, "bbbb2222-ask", h.exec().Selected(), "the cursor is on the first match")
	h.keys("esc")
	filter("!agent:invoice")
	assert.Equal(t, 3, h.exec().Rows())
	assert.NotContains(t, h.view(), "aaaa1111")
	h.keys("esc")
	filter("agent:supplier !status:completed")
	assert.Equal(t, 1, h.exec().Rows())
	assert.Equal(t, "eeee5555-ask", h.exec().Selected())
}

// Issue 12 #8: the table keeps its place as the selection moves between
// executions that wait and those that do not, and z gives the focused
// pane the whole view.
func TestTheLayoutHoldsStillAndZoomGivesRoom(t *testing.T) {
	h := newHarness(t, 80, 24)
	execs, q := fleet()
	h.snapshot(execs, q)
	tableTop := func() (rows int, feedAt int) {
		for i, l := range strings.Split(h.view(), "\n") {
			if strings.HasPrefix(l, "╭─ Activity") {
				return i, i
			}
		}
		return -1, -1
	}
	h.selectExec("bbbb2222-ask")
	waitingAt, _ := tableTop()
	h.selectExec("aaaa1111-run")
	runningAt, _ := tableTop()
	assert.Equal(t, waitingAt, runningAt, "the feed starts where it did: the table did not resize")
	assert.GreaterOrEqual(t, waitingAt-2-3, 5, "five rows at 80×24")

	h.keys("z")
	screen := h.view()
	assert.NotContains(t, screen, "╭─ Activity", "the table fills the view")
	assert.Contains(t, screen, "cccc3333")
	h.keys("z", "tab", "z") // back; to the feed; zoom it
	screen = h.view()
	assert.Contains(t, screen, "╭─ Activity")
	assert.NotContains(t, screen, "╭─ Executions")
	h.keys("z")
	assert.Contains(t, h.view(), "╭─ Executions", "z again: back")
}

// Issue 12 #9: the footer holds whole hints for what the selection can do,
// in short words, then "? help"; help is in columns on a wide terminal and
// says when there is more below.
func TestFooterFitsWholeHintsAndHelpSaysThereIsMore(t *testing.T) {
	h := newHarness(t, 80, 24)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("aaaa1111-run")
	lines := strings.Split(h.view(), "\n")
	footer := lines[len(lines)-1]
	assert.Contains(t, footer, "p pause")
	assert.NotContains(t, footer, "i reply", "a running execution is not waiting for an answer")
	assert.True(t, strings.HasSuffix(strings.TrimRight(footer, " "), "? help"), "%q", footer)
	assert.NotContains(t, footer, "…", "no hint cut mid-word")

	h.keys("?")
	assert.Contains(t, h.view(), "↓ more below")
	h.keys("G")
	screen := h.view()
	assert.Contains(t, screen, "↑ more above")
	assert.NotContains(t, screen, "↓ more below")

	wide := newHarness(t, 200, 60)
	wide.keys("?")
	var both bool
	for _, l := range strings.Split(wide.view(), "\n") {
		if strings.Contains(l, "quit") && strings.Contains(l, "details") || strings.Contains(l, " Global") && strings.Contains(l, " Executions") {
			both = true
		}
	}
	assert.True(t, both, "two columns at 200 wide:\n%s", wide.view())
}

// Issue 12 #11: at the smallest size the execute form fits and scrolls to
// the focused field; a select filters as you type; the agent's
// description is shown for the chosen agent.
func TestTheExecuteFormFitsScrollsAndFiltersAsYouType(t *testing.T) {
	h := newHarness(t, 60, 16)
	h.send(PollMsg{poller.CatalogEvent{Agents: []api.Agent{
		{ID: "agent-invoice", Name: "Invoice downloader", Description: "Downloads last month's invoices"},
		{ID: "agent-insurance", Name: "Insurance quote filler"},
		{ID: "agent-supplier", Name: "Supplier portal checker"},
	}, Profiles: []api.Profile{{ID: "p1", Name: "prod-eu"}}}})
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("e")
	fits := func(what string) string {
		t.Helper()
		screen := h.view()
		lines := strings.Split(screen, "\n")
		require.Len(t, lines, 16, what)
		for i, l := range lines {
			require.Equal(t, 60, ansi.StringWidth(l), "%s line %d: %q", what, i, l)
		}
		return screen
	}
	screen := fits("the form")
	assert.Contains(t, screen, "Execute an agent")
	assert.Contains(t, screen, "↓ more fields below")
	assert.Contains(t, screen, "Execute", "the button always shows")
	h.typeText("supp")
	screen = fits("filtered")
	assert.Contains(t, screen, "Supplier portal")
	assert.Contains(t, screen, "/supp 1 of 3")
	h.keys("backspace", "backspace", "backspace", "backspace")
	h.typeText("invoice")
	assert.Contains(t, fits("described"), "Downloads last month's")
	for range 5 {
		h.keys("tab")
	}
	screen = fits("scrolled")
	assert.Contains(t, screen, "↑ more fields above")
	assert.Contains(t, screen, "Version")
	h.keys("ctrl+s")
	assert.Equal(t, []string{"execute agent-invoice"}, h.backend.calls)
}

// Issue 13: the detail page saves a file: s writes it where it says, an
// existing file is not replaced until s is pressed again.
func TestTheDetailPageSavesAFileAndAsksBeforeOverwriting(t *testing.T) {
	dir := t.TempDir()
	old := executions.SaveDir
	executions.SaveDir = dir
	t.Cleanup(func() { executions.SaveDir = old })
	h := newHarness(t, 120, 40)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("cccc3333-ok")
	h.keys("d")
	screen := h.view()
	assert.Contains(t, screen, "s saves the marked file to "+dir)
	assert.Contains(t, screen, "▸ downloads/invoice.pdf")

	h.keys("s")
	b, err := os.ReadFile(filepath.Join(dir, "invoice.pdf"))
	require.NoError(t, err)
	assert.Len(t, b, 2048)
	assert.Contains(t, h.view(), "saved ✓ "+filepath.Join(dir, "invoice.pdf"))
	assert.Contains(t, h.view(), "Saved invoice.pdf (2.0 KB) to "+filepath.Join(dir, "invoice.pdf"))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "invoice.pdf"), []byte("mine"), 0o600))
	h.keys("s")
	assert.Contains(t, h.view(), "exists: s overwrites")
	b, _ = os.ReadFile(filepath.Join(dir, "invoice.pdf"))
	assert.Equal(t, "mine", string(b), "not replaced without asking")
	h.keys("s")
	b, _ = os.ReadFile(filepath.Join(dir, "invoice.pdf"))
	assert.Len(t, b, 2048, "s again overwrites")
}

// Issue 13: pools are created and edited from the pools view (n, e), the
// update sending only what changed; the server's refusal stays in the form.
func TestPoolFormsCreateAndUpdate(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.send(PollMsg{poller.CatalogEvent{Pools: []api.ProfilePool{{ID: "pool-1", Name: "eu-shared", SelectionStrategy: api.LeastRecentlyUsed}}}})
	h.keys("4", "n")
	require.Contains(t, h.view(), "New profile pool")
	h.typeText("us-night")
	h.keys("tab", "right", "tab", "space", "ctrl+s")
	require.Equal(t, []api.PoolInput{{Name: "us-night", SelectionStrategy: api.LeastRecentlyUsed, AllowConcurrentUse: true}}, h.backend.pools)
	assert.Contains(t, h.view(), "Created pool us-night.")

	h.backend.errs["update-pool"] = &api.Error{Kind: api.KindInvalid, StatusCode: 422, Message: "name already taken"}
	h.keys("e")
	require.Contains(t, h.view(), "Edit pool eu-shared")
	h.typeText("-2")
	h.keys("tab", "right", "ctrl+s")
	screen := h.view()
	assert.Contains(t, screen, "name already taken", "the error stays in the form")
	assert.Contains(t, screen, "eu-shared-2", "with what was typed")
	require.Len(t, h.backend.poolUps, 1)
	up := h.backend.poolUps[0]
	require.NotNil(t, up.Name)
	assert.Equal(t, "eu-shared-2", *up.Name)
	require.NotNil(t, up.SelectionStrategy)
	assert.Equal(t, api.MostRecentlyUsed, *up.SelectionStrategy)
	assert.Nil(t, up.AllowConcurrentUse, "unchanged: not sent")
}

// Issue 13: a cookie is added to a profile with c; its value is typed
// masked and never shown.
func TestACookieIsAddedAndItsValueNeverShown(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.send(PollMsg{poller.CatalogEvent{Profiles: []api.Profile{{ID: "p1", Name: "prod-eu"}}}})
	h.keys("3", "c")
	require.Contains(t, h.view(), "Add a cookie to prod-eu")
	h.typeText("Session")
	h.keys("tab")
	h.typeText("sid")
	h.keys("tab")
	h.typeText("s3cr3t-cookie-value")
	assert.NotContains(t, h.view(), "s3cr3t-cookie-value", "masked as it is typed")
	h.keys("tab")
	h.typeText(".example.com")
	h.keys("tab", "tab", "tab", "right", "right", "tab")
	h.typeText("2027-01-31")
	h.keys("ctrl+s")
	require.Len(t, h.backend.updates, 1)
	c := h.backend.updates[0].AddCookies
	require.Len(t, c, 1)
	assert.Equal(t, api.CookieInput{Name: "Session", Key: "sid", Value: "s3cr3t-cookie-value", Domain: ".example.com",
		Secure: true, HTTPOnly: true, SameSite: "Lax", Expiry: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}, c[0])
	screen := h.view()
	assert.Contains(t, screen, "Added cookie Session to prod-eu.")
	assert.NotContains(t, screen, "s3cr3t")
}

// Bulk actions: space marks, ctrl+a marks every listed execution, p acts
// on the marked after one confirmation (skipping those it cannot pause),
// with the progress in the table's title and a per-execution result when
// some fail.
func TestBulkMarkAndPause(t *testing.T) {
	h := newHarness(t, 140, 40)
	execs, q := fleet()
	execs = append(execs, mkExec("hhhh8888-run", "Invoice downloader", api.StatusRunning, time.Minute))
	h.snapshot(execs, q)
	h.selectExec("aaaa1111-run")
	h.keys("space")
	assert.Contains(t, h.view(), "· 1 marked")
	assert.Contains(t, rowOf(h, "aaaa1111"), "│✓ ● ")
	h.keys("esc")
	assert.NotContains(t, h.view(), "marked", "esc clears the marks")

	h.keys("ctrl+a")
	assert.Contains(t, h.view(), "· 6 marked")
	h.backend.errs["pause"] = nil
	h.keys("p")
	screen := h.view()
	assert.Contains(t, screen, "Pause 2 executions?")
	assert.Contains(t, screen, "Skipped, as they cannot be paused")
	h.keys("tab", "enter") // the safe button is focused: move to "Pause them"
	assert.True(t, h.backend.called("pause aaaa1111-run"))
	assert.True(t, h.backend.called("pause hhhh8888-run"))
	assert.False(t, h.backend.called("pause bbbb2222-ask"), "a waiting execution is not paused")
	screen = h.view()
	assert.Contains(t, screen, "Paused 2 of 2 execution(s).")
	assert.Contains(t, screen, "· 4 marked", "those done are unmarked; the skipped stay")

	h.keys("esc", "ctrl+a")
	h.backend.errs["cancel"] = &api.Error{Kind: api.KindServer, StatusCode: 500, Message: "boom"}
	h.keys("x", "tab", "enter")
	screen = h.view()
	assert.Contains(t, screen, "Bulk results")
	assert.Contains(t, screen, "✗ aaaa1111")
	assert.Contains(t, screen, "failed: they stay marked")
}

// rowOf is the screen line showing an execution's short id.
func rowOf(h *harness, id8 string) string {
	for _, l := range strings.Split(h.view(), "\n") {
		if strings.Contains(l, id8) {
			return l
		}
	}
	return ""
}

// Export: E writes the listed executions (CSV or JSON lines) or, from the
// feed, its activities, and never over an existing file.
func TestExportWritesTheTableAndTheFeed(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, 120, 40)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("bbbb2222-ask")
	h.activities("bbbb2222-ask", true, feedFixture()...)
	h.keys("/")
	h.typeText("status:paused")
	h.keys("enter", "E")
	require.Contains(t, h.view(), "Export 2 executions")
	path := filepath.Join(dir, "waiting")
	h.keys("tab") // the file field: replace its text
	for range 40 {
		h.keys("backspace")
	}
	h.typeText(path)
	h.keys("ctrl+s")
	b, err := os.ReadFile(path + ".csv")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, "id,agent,agent_id,status,outcome,started,ended,seconds,profile", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "bbbb2222-ask,Insurance quote filler,"), lines[1])
	assert.Contains(t, h.view(), "Exported 2 to "+path+".csv")

	h.keys("E", "tab")
	for range 40 {
		h.keys("backspace")
	}
	h.typeText(path + ".csv")
	h.keys("ctrl+s")
	assert.Contains(t, h.view(), "waiting.csv exists")
	h.keys("esc", "esc")

	h.keys("tab", "E") // from the feed: its activities
	require.Contains(t, h.view(), "Export the feed of bbbb2222")
	h.keys("tab")
	for range 60 {
		h.keys("backspace")
	}
	h.typeText(filepath.Join(dir, "feed"))
	h.keys("ctrl+s")
	b, err = os.ReadFile(filepath.Join(dir, "feed.jsonl"))
	require.NoError(t, err)
	assert.Len(t, strings.Split(strings.TrimSpace(string(b)), "\n"), len(feedFixture()))
	assert.Contains(t, string(b), "Which plan should I pick")
}

// Custom commands: the config's commands run on the selected execution
// with its values as separate arguments, report their output, show in
// help, and stay off in read-only unless marked safe; a key in use is
// refused.
func TestCustomCommandsRunOnTheSelectedExecution(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	cmds := []Command{
		{Name: "note", Key: "N", Run: []string{"sh", "-c", `printf '%s|%s\n' "$1" "$2" | tee "$3"`, "sh", "{{.ID}}", "{{.Agent}}", out}, Description: "note it"},
		{Name: "peek", Key: "K", Run: []string{"echo", "peeked {{.ID}}"}, Safe: true},
	}
	h := newHarness(t, 120, 40)
	require.NoError(t, h.m.AddCommands(cmds))
	execs, q := fleet()
	execs[0].AgentName = "Invoice $(touch /tmp/pwned) downloader"
	h.snapshot(execs, q)
	h.selectExec("aaaa1111-run")
	_, cmd := h.m.Update(keyPress("N"))
	drain(h.m, cmd) // the command runs to its end, however loaded the machine
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "aaaa1111-run|Invoice $(touch /tmp/pwned) downloader\n", string(b), "values are arguments, never code")
	assert.Contains(t, h.view(), "note: aaaa1111-run|Invoice")

	tall := newHarness(t, 200, 90)
	require.NoError(t, tall.m.AddCommands(cmds))
	tall.keys("?")
	assert.Contains(t, tall.view(), "note: note it", "help lists the commands")

	ro := newHarness(t, 120, 40, func(o *Options) { o.ReadOnly = true })
	require.NoError(t, ro.m.AddCommands(cmds))
	ro.snapshot(execs, q)
	ro.selectExec("aaaa1111-run")
	ro.keys("N")
	assert.Contains(t, ro.view(), "Read-only (--read-only): N (note: note it) is off.")
	_, cmd = ro.m.Update(keyPress("K"))
	drain(ro.m, cmd)
	assert.Contains(t, ro.view(), "peek: peeked aaaa1111-run", "a safe command runs in read-only")

	clash := newHarness(t, 120, 40)
	err = clash.m.AddCommands([]Command{{Name: "x", Key: "p", Run: []string{"true"}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"p" is already bound to pause`)
}

// Saved filters: ":name" shows the executions with the config's filter.
func TestASavedFilterIsAColonName(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.Filters = map[string]string{"asking": "status:paused"} })
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys("3", ":")
	h.typeText("asking")
	h.keys("enter")
	assert.Equal(t, "status:paused", h.filter())
	assert.Equal(t, 2, h.exec().Rows())
	assert.Contains(t, h.view(), "Executions 2 of 5 · :asking /status:paused", "the title names the section")
}

// Charts: the agents pane shows, per agent, the runs that ended in each of
// the last six hours as a sparkline and the share that succeeded (a
// completed run that failed at its task counts as a failure).
func TestTheAgentsPaneChartsTheLastHours(t *testing.T) {
	h := newHarness(t, 170, 40)
	end := func(id string, st api.Status, outcome string, ago time.Duration) api.Execution {
		e := mkExec(id, "Invoice downloader", st, ago+time.Minute)
		e.TerminalAt = t0.Add(-ago)
		if outcome != "" {
			e.Result = &api.Result{Outcome: outcome}
		}
		return e
	}
	execs := []api.Execution{
		end("r1", api.StatusCompleted, "success", 10*time.Minute),
		end("r2", api.StatusCompleted, "success", 20*time.Minute),
		end("r3", api.StatusCompleted, "failure", 30*time.Minute),
		end("r4", api.StatusFailed, "", 5*time.Hour+10*time.Minute),
		end("r5", api.StatusCompleted, "success", 9*time.Hour), // older than the chart
		mkExec("s1", "Supplier portal checker", api.StatusRunning, time.Minute),
	}
	h.snapshot(execs, nil)
	row := ""
	for _, l := range strings.Split(h.view(), "\n") {
		if strings.HasPrefix(l, "│Invoice dow") {
			row = l
		}
	}
	assert.Contains(t, rowOf(h, "│AGENT"), "6H", h.view())
	assert.Regexp(t, `│Invoice dow…\s+0\s+0 ▃····█  50%`, row, h.view())
	assert.Regexp(t, `│Supplier po…\s+1\s+0 ······\s+—`, h.view(), "nothing ended: no rate")
}
