package feed_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/feed"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// FuzzFeedView renders a feed of activities whose text, message, kind,
// action and raw JSON are fuzzed, at a fuzzed size and with the viewing
// options toggled: the view has exactly the height asked, every line is
// exactly the width, and no unsafe character or escape sequence from the
// input reaches it. Seeds (testdata/fuzz/…) are hostile strings and the
// text of the recorded wire examples. Run longer with
//
//	go test ./tui/feed -run '^$' -fuzz '^FuzzFeedView$' -fuzztime 5m
func FuzzFeedView(f *testing.F) {
	f.Add(uint16(80), uint8(10), uint8(0), "Navigating to https://example.com", "Navigating\nto it", "action_started", []byte(`{"id":"a"}`))
	f.Fuzz(func(t *testing.T, w uint16, h uint8, opts uint8, text, message, kind string, raw []byte) {
		width, height := 1+int(w)%400, 1+int(h)%100
		for _, st := range []*theme.Styles{theme.New(theme.Theme{Name: "none", NoColor: true}), theme.New(mustTheme(t))} {
			m := feed.New("e", st, 64)
			m.SetSize(width, height)
			if opts&1 != 0 {
				m.ToggleWrap()
			}
			if opts&2 != 0 {
				m.ToggleTimes()
			}
			m.SetFocused(opts&4 != 0)
			acts := make([]api.Activity, 0, 8)
			for i := range 8 {
				a := api.Activity{ID: string(rune('a' + i)), ExecutionID: "e", Time: time.Unix(int64(i)*7919, 0),
					Kind: api.ActivityKind(kind), Text: text, Message: message, ActionName: text,
					Actor:        []api.Actor{api.ActorAgent, api.ActorUser, api.ActorSystem, api.Actor(kind)}[i%4],
					AgentMessage: i%3 == 0}
				if json.Valid(raw) {
					a.Raw = raw
				}
				acts = append(acts, a)
			}
			m.Append(acts, opts&8 != 0)
			if opts&16 != 0 {
				m.Up(3)
				m.ToggleExpand()
			}
			if opts&32 != 0 && sanitize.Line(text) != "" {
				if cmd := m.SetQuery(text); cmd != nil {
					if r, ok := cmd().(feed.SearchResult); ok {
						m.ApplySearch(r)
					}
				}
			}
			lines := strings.Split(m.View(), "\n")
			if len(lines) != height {
				t.Fatalf("%d lines for a height of %d", len(lines), height)
			}
			for i, l := range lines {
				if got := ansi.StringWidth(l); got != width {
					t.Fatalf("line %d is %d wide, not %d: %q", i, got, width, l)
				}
				plain := ansi.Strip(l)
				for _, r := range plain {
					if sanitize.Unsafe(r) {
						t.Fatalf("line %d holds %U: %q", i, r, l)
					}
				}
			}
		}
	})
}

func mustTheme(t *testing.T) theme.Theme {
	th, err := theme.Lookup("default")
	if err != nil {
		t.Fatal(err)
	}
	return th
}
