package tui

import (
	"fmt"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC // screens show local times
	os.Exit(m.Run())
}

// TestGoldenScreens runs the dashboard as a real Bubble Tea program at two
// terminal sizes and compares its final screens (without colour) with
// testdata/TestGoldenScreens/*.golden. The fleet and feed are delivered
// before the program starts (their derived rows are built in Cmds, whose
// timing a screen must not depend on); keys are then sent to the program,
// which handles them in order before the final ctrl+c.
// Regenerate with: go test ./tui -run TestGoldenScreens -update
func TestGoldenScreens(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{name: "executions"},
		{name: "reply", keys: []string{"i"}},
		{name: "inbox", keys: []string{"5"}},
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				h := newHarness(t, size[0], size[1], func(o *Options) {
					o.Context, o.Organization = "prod-eu", "0f3a9c1e-7d2b-4c55-9e61-2b8f4d1a0c77"
				})
				h.send(PollMsg{poller.CatalogEvent{Agents: []api.Agent{
					{ID: "agent-invoice", Name: "Invoice downloader"},
					{ID: "agent-insurance", Name: "Insurance quote filler"},
					{ID: "agent-supplier", Name: "Supplier portal checker"},
				}}})
				execs, q := fleet()
				h.snapshot(execs, q)
				h.send(PollMsg{poller.ConnectionEvent{State: poller.Live, LastSuccess: t0.Add(-2 * time.Second)}})
				h.activities("bbbb2222-ask", true, feedFixture()...)

				tm := teatest.NewTestModel(t, h.m, teatest.WithInitialTermSize(size[0], size[1]))
				for _, k := range sc.keys {
					tm.Send(keyPress(k))
				}
				tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
				final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
				golden.RequireEqual(t, ansi.Strip(final.render()))
			})
		}
	}
}

func feedFixture() []api.Activity {
	at := func(s int) time.Time { return t0.Add(time.Duration(s-300) * time.Second) }
	return []api.Activity{
		{ID: "1", Time: at(0), Kind: api.KindStatusChanged, Actor: api.ActorSystem, Status: api.StatusRunning, Text: "status → running"},
		{ID: "2", Time: at(2), Kind: api.KindStepStarted, Actor: api.ActorSystem, Text: "step 1 started"},
		{ID: "3", Time: at(3), Kind: api.KindActionStarted, Actor: api.ActorAgent, ActionName: "nav_to", Text: "Opening the quote form at https://quotes.example-insurer.com/home"},
		{ID: "4", Time: at(6), Kind: api.KindActionCompleted, Actor: api.ActorAgent, ActionName: "nav_to", Text: "Page loaded: Home insurance — get a quote"},
		{ID: "5", Time: at(9), Kind: api.KindReasoning, Actor: api.ActorAgent, Text: "Two plans match the property: Basic (€31/month) and Plus (€44/month, includes flood cover)."},
		{ID: "6", Time: at(60), Kind: api.KindActionStarted, Actor: api.ActorAgent, ActionName: "util_send_user_message", AgentMessage: true, Text: "Which plan should I pick: Basic or Plus?", Message: "Which plan should I pick: Basic or Plus?"},
		{ID: "7", Time: at(61), Kind: api.KindStatusChanged, Actor: api.ActorSystem, Status: api.StatusPausedByAgent, Reason: "Waiting for a reply from the user", Text: "status → paused_by_agent: Waiting for a reply from the user"},
	}
}
