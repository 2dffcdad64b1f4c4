package cli

import (
	"context"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

const (
	defaultActivities = 50   // -n
	followWindow      = 100  // newest activities fetched per poll while following
	maxFollowWindow   = 1000 // the window grows to this when activities arrive faster than polls
)

func (a *app) activitiesCmd() *cobra.Command {
	var (
		n        int
		follow   bool
		interval time.Duration
	)
	cmd := &cobra.Command{
		Use:     "activities ID",
		Aliases: []string{"feed", "logs"},
		Short:   "Show an execution's activity feed",
		Long: `Show what an execution did: its newest activities (actions, reasoning,
status changes, messages between the agent and people), oldest first.

With --follow, agentop keeps polling and prints new activities as they
arrive, until the execution ends (after one last fetch) or you press Ctrl-C.
Errors are retried with backoff. With -o json --follow, each activity is one
JSON object on its own line.`,
		Example: `  agentop activities 5f0c2a8e-…
  agentop activities 5f0c2a8e-… -n 200
  agentop activities 5f0c2a8e-… --follow
  agentop activities 5f0c2a8e-… -f -o json | jq -r 'select(.agentMessage) | .message'`,
		Args: args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 {
				return usageErrorf("-n/--limit must be at least 1")
			}
			if interval <= 0 {
				return usageErrorf("--interval must be positive")
			}
			ctx := cmd.Context()
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			if args[0], err = a.executionID(ctx, be, args[0]); err != nil {
				return err
			}
			if follow {
				return a.followActivities(ctx, be, args[0], n, interval)
			}
			acts, err := be.Activities(ctx, args[0], api.ActivityQuery{Order: api.SortDesc, Limit: n})
			if err != nil {
				return failed(err, "list activities of %s", args[0])
			}
			acts = chronological(acts)
			acts = acts[max(0, len(acts)-n):]
			return a.emit(outputs(acts, activityOutput), func(w io.Writer) error {
				t := a.activityTable(false)
				now := a.now()
				for _, act := range acts {
					t.add(activityCells(now, act)...)
				}
				return a.printTable(w, t, "no activities yet")
			})
		},
	}
	f := cmd.Flags()
	f.IntVarP(&n, "limit", "n", defaultActivities, "show the newest `N` activities")
	f.BoolVarP(&follow, "follow", "f", false, "keep printing new activities until the execution ends")
	f.DurationVar(&interval, "interval", 2*time.Second, "time between polls with --follow")
	return cmd
}

// activityTable lays out a feed; streamed tables have fixed widths.
func (a *app) activityTable(stream bool) *table {
	fixed := func(w int) int {
		if stream {
			return w
		}
		return 0
	}
	return a.newTable(
		column{title: "TIME", width: fixed(12)},
		column{title: "ACTOR", width: fixed(6)},
		column{title: "KIND", width: fixed(21)},
		column{title: "TEXT", flex: true})
}

func activityCells(now time.Time, act api.Activity) []string {
	return []string{clock(now, act.Time), string(act.Actor), string(act.Kind), act.Text}
}

// followActivities prints the newest n activities, then polls for new ones
// until the execution is terminal or ctx ends (Ctrl-C: not an error).
func (a *app) followActivities(ctx context.Context, be api.Backend, id string, n int, interval time.Duration) error {
	asJSON, err := a.jsonOutput()
	if err != nil {
		return err
	}
	row := a.activityTable(true).stream(a.io.Out)
	emit := func(act api.Activity) error {
		if asJSON {
			return writeJSON(a.io.Out, activityOutput(act), false)
		}
		return row(activityCells(a.now(), act)...)
	}

	seen := map[string]time.Time{} // activities already printed or skipped, by key
	window := max(n, followWindow)
	first := true
	err = a.poll(ctx, interval, func(ctx context.Context) (bool, error) {
		e, err := be.GetExecution(ctx, id)
		if err != nil {
			return false, failed(err, "get execution %s", id)
		}
		acts, err := be.Activities(ctx, id, api.ActivityQuery{Order: api.SortDesc, Limit: window})
		if err != nil {
			return false, failed(err, "list activities of %s", id)
		}
		acts = chronological(acts)
		fresh := slices.DeleteFunc(slices.Clone(acts), func(act api.Activity) bool {
			_, ok := seen[activityKey(act)]
			return ok
		})
		overlap := len(fresh) < len(acts)
		switch {
		case first:
			fresh = fresh[max(0, len(fresh)-n):]
			first = false
		case !overlap && len(seen) > 0 && len(acts) >= window:
			a.warnf("more than %d activities arrived between two polls; some may be missing", window)
			window = min(window*2, maxFollowWindow)
		}
		for _, act := range acts {
			seen[activityKey(act)] = act.Time
		}
		if overlap && len(acts) > 0 {
			// Older activities cannot come back into the newest window.
			maps.DeleteFunc(seen, func(_ string, t time.Time) bool { return t.Before(acts[0].Time) })
		}
		for _, act := range fresh {
			if err := emit(act); err != nil {
				return false, err
			}
		}
		return e.Status.IsTerminal(), nil
	})
	if ctx.Err() != nil {
		return nil // Ctrl-C is how a follow ends
	}
	return err
}

// chronological orders activities oldest first. The server sends them
// newest first; equal times keep that order reversed.
func chronological(acts []api.Activity) []api.Activity {
	out := slices.Clone(acts)
	slices.Reverse(out)
	slices.SortStableFunc(out, func(x, y api.Activity) int { return x.Time.Compare(y.Time) })
	return out
}

// activityKey identifies an activity across polls: its id, or what it says
// and when for a platform that sends none.
func activityKey(act api.Activity) string {
	if act.ID != "" {
		return act.Revision() // a span that changed is printed again
	}
	return act.Time.String() + "\x00" + string(act.Kind) + "\x00" + act.Text
}
