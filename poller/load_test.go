package poller

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"flag"
	"fmt"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid"
	"github.com/agentop/agentop/api/asteroid/asteroidsim"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// BenchmarkLoad runs the poller against the simulator over real HTTP on
// loopback, scenario "busy N", for a fixed simulated window, as a dashboard
// would drive it (a focused execution, 30 visible rows, waiting ones first),
// and reports requests per simulated minute by kind and the detection
// latency of executions that start waiting for a human (simulator clock:
// from the status change to the poller's snapshot that holds it).
//
//	go test -run XXX -bench Load -benchtime 1x ./poller/
//	go test -run XXX -bench Load -benchtime 1x ./poller/ -load.n 500 -load.window 5m -load.speed 2
var (
	loadN      = flag.String("load.n", "50,500,2000", "BenchmarkLoad: active executions, comma-separated")
	loadWindow = flag.Duration("load.window", time.Minute, "BenchmarkLoad: measured window, simulated time")
	loadSpeed  = flag.Float64("load.speed", 1, "BenchmarkLoad: how much faster than the wall clock simulated time runs; the poller's cadences scale with it")
	loadSeed   = flag.Int64("load.seed", 1, "BenchmarkLoad: the simulated fleet's seed (each seed is another fleet with the same rates)")
	loadWarm   = flag.Duration("load.warmup", 3*time.Minute, "BenchmarkLoad: simulated time the fleet plays before the poller starts")
)

func BenchmarkLoad(b *testing.B) {
	for _, s := range strings.Split(*loadN, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			b.Fatalf("-load.n: %v", err)
		}
		b.Run(fmt.Sprintf("active=%d", n), func(b *testing.B) {
			for range b.N {
				r := runLoad(b, n, *loadWindow, *loadSpeed, *loadWarm)
				r.report(b)
			}
		})
	}
}

// scaledClock is simulated time: start+offset, moving speed times as fast
// as the wall clock.
type scaledClock struct {
	start, wall time.Time
	speed       float64
	offset      time.Duration
}

func (c *scaledClock) Now() time.Time {
	return c.start.Add(c.offset + time.Duration(float64(time.Since(c.wall))*c.speed))
}

// loadResult is what one window measured.
type loadResult struct {
	n        int
	minutes  float64 // simulated
	requests simhttp.StatsSnapshot
	detect   []time.Duration // entering paused_by_agent → in a snapshot
	asked    []time.Duration // entering paused_by_agent → its question announced
	spells   int             // waits that began in the window and were seen
	truthErr int             // |NEEDS YOU − truly waiting| at the end
	countErr int             // Σ |count − truth| over the active statuses at the end
}

var loadKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func runLoad(b *testing.B, n int, window time.Duration, speed float64, warm time.Duration) loadResult {
	b.Helper()
	clk := &scaledClock{start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), wall: time.Now(), speed: speed}
	// The engine plays at speed 1 on a clock that runs speed times as fast
	// as the wall: every figure is in simulated time, as at speed 1.
	e, err := sim.New(sim.Config{Seed: *loadSeed, Clock: clk, PrivateKey: loadKey(),
		Scenario: sim.Scenario{Kind: sim.ScenarioBusy, N: n}})
	if err != nil {
		b.Fatal(err)
	}
	clk.offset = warm                                                        // the fleet plays its start-up before the poller looks
	if _, err := e.Executions(api.ExecutionQuery{PageSize: 1}); err != nil { // (and catches up now)
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Run(ctx)
	stats := simhttp.NewStats()
	srv := httptest.NewServer(asteroidsim.NewHandler(e, asteroidsim.HandlerOptions{Stats: stats}))
	defer srv.Close()
	client, err := asteroid.New(asteroid.Options{BaseURL: srv.URL, APIKey: asteroidsim.DemoKey(*loadSeed)})
	if err != nil {
		b.Fatal(err)
	}
	p := New(scaledConfig(client, speed))
	done := make(chan struct{})
	go func() { defer close(done); _ = p.Run(ctx) }()

	d := &dashboard{p: p, e: e, clk: clk, entered: map[string]time.Time{}, askedAt: map[string]time.Time{}}
	begin := clk.Now().Add(10 * time.Second) // after the first sweeps
	var before simhttp.StatsSnapshot
	end := begin.Add(window)
	b.ResetTimer()
	d.run(ctx, func(now time.Time) bool {
		if before.Since.IsZero() && !now.Before(begin) {
			before = stats.Snapshot()
			before.Since = now
			d.counting = true
		}
		return now.Before(end)
	})
	b.StopTimer()
	r := loadResult{n: n, requests: stats.Snapshot().Sub(before), detect: d.detect, asked: d.asked, spells: d.spells}
	r.minutes = clk.Now().Sub(before.Since).Minutes()
	snap := p.Snapshot()
	if snap == nil || snap.Len() == 0 || r.requests.Total == 0 {
		b.Fatalf("the poller never saw the fleet (%d requests served): nothing measured", r.requests.Total)
	}
	truth, _ := e.Executions(api.ExecutionQuery{Statuses: waitingStatuses, PageSize: 1})
	r.truthErr = abs(len(snap.Waiting) - truth.Total)
	for _, st := range api.ActiveStatuses {
		n, _ := e.Executions(api.ExecutionQuery{Statuses: []api.Status{st}, PageSize: 1})
		r.countErr += abs(snap.Counts[st] - n.Total)
	}
	cancel()
	<-done
	return r
}

// scaledConfig is the poller's default configuration with every interval
// divided by speed (its budgets, per minute, multiplied), so that it runs
// in simulated time as it would at speed 1.
func scaledConfig(b api.Backend, speed float64) Config {
	var c Config
	c.defaults()
	c.Backend, c.Logger, c.Now = b, nil, nil
	for _, d := range []*time.Duration{&c.FastSweep, &c.FastSweepMax, &c.SlowSweep, &c.FullSweep, &c.TerminalSweep, &c.StaleAfter,
		&c.CatalogEvery, &c.FastTail, &c.SlowTail, &c.PeekEvery, &c.PeekStale, &c.MaxBackoff, &c.HurryFor} {
		*d = time.Duration(float64(*d) / speed)
	}
	for _, r := range []*int{&c.QuestionRate, &c.ResolveRate} {
		*r = int(float64(*r) * speed)
	}
	return c
}

// dashboard drives the poller as the dashboard does — a focused execution
// (kept until it ends), the first 30 rows visible (waiting first, by when
// they asked, then newest first) — and measures detections.
type dashboard struct {
	p        *Poller
	e        *sim.Engine
	clk      *scaledClock
	gen      uint64
	counting bool
	waiting  map[string]bool
	entered  map[string]time.Time // waits seen while counting → when they began
	askedAt  map[string]time.Time // questions announced → when
	detect   []time.Duration
	asked    []time.Duration
	spells   int
}

func (d *dashboard) run(ctx context.Context, goOn func(time.Time) bool) {
	tick := time.NewTicker(time.Duration(float64(time.Second) / d.clk.speed))
	defer tick.Stop()
	focus := ""
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-d.p.Events():
			now := d.clk.Now()
			switch ev := ev.(type) {
			case SnapshotEvent:
				d.onSnapshot(ev.Snapshot, now)
			case InteractionEvent:
				if ev.Request.Fallback {
					break
				}
				// Announced before the snapshot of the same sweep, or after.
				if at, ok := d.entered[ev.Request.ExecutionID]; ok {
					d.asked = append(d.asked, now.Sub(at))
					delete(d.entered, ev.Request.ExecutionID)
				} else {
					d.askedAt[ev.Request.ExecutionID] = now
				}
			}
		case <-tick.C:
			now := d.clk.Now()
			if !goOn(now) {
				return
			}
			snap := d.p.Snapshot()
			if snap == nil {
				continue
			}
			if x, ok := snap.Get(focus); !ok || x.Status.IsTerminal() {
				focus = ""
				for _, x := range snap.Executions {
					if x.Status == api.StatusRunning {
						focus = x.ID
						break
					}
				}
				d.gen++
				d.p.Focus(focus, d.gen)
			}
			d.p.SetVisible(visibleRows(snap, 30), d.gen)
		}
	}
}

func (d *dashboard) onSnapshot(snap *Snapshot, now time.Time) {
	next := make(map[string]bool, len(snap.Waiting))
	for _, w := range snap.Waiting {
		next[w.ExecutionID] = true
		if d.waiting == nil || d.waiting[w.ExecutionID] || !d.counting {
			continue
		}
		at, ok := d.waitBegan(w.ExecutionID, now)
		if !ok {
			continue
		}
		d.spells++
		d.detect = append(d.detect, now.Sub(at))
		if asked, ok := d.askedAt[w.ExecutionID]; ok && !asked.Before(at) {
			d.asked = append(d.asked, asked.Sub(at))
		} else {
			d.entered[w.ExecutionID] = at
		}
	}
	clear(d.askedAt)
	if d.waiting != nil {
		for id := range d.entered {
			if !next[id] {
				delete(d.entered, id) // answered before its question was read
			}
		}
	}
	d.waiting = next
}

// waitBegan asks the engine (directly, not over HTTP: not counted) when the
// execution's current wait began.
func (d *dashboard) waitBegan(id string, now time.Time) (time.Time, bool) {
	acts, err := d.e.Activities(id, api.ActivityQuery{Order: api.SortDesc, Limit: 50})
	if err != nil {
		return time.Time{}, false
	}
	for _, a := range acts {
		if a.Kind == api.KindStatusChanged && a.Change != nil && a.Change.Status == api.StatusPausedByAgent && !a.Time.After(now) {
			return a.Time, true
		}
	}
	return time.Time{}, false
}

// visibleRows is the first rows of the executions table: waiting first (by
// when they asked), then newest first.
func visibleRows(snap *Snapshot, rows int) []string {
	var out []string
	for _, w := range snap.Waiting {
		if len(out) == rows {
			return out
		}
		out = append(out, w.ExecutionID)
	}
	for _, x := range snap.Executions {
		if len(out) == rows {
			break
		}
		if !x.Status.NeedsHuman() {
			out = append(out, x.ID)
		}
	}
	return out
}

// kinds sorts the simulator's request counts into the benchmark's columns.
func (r loadResult) kinds() map[string]int64 {
	out := map[string]int64{}
	for key, n := range r.requests.Requests {
		path, query, _ := strings.Cut(strings.TrimPrefix(key, "GET "), "?")
		var kind string
		switch {
		case path == "/agents/v2/executions" && strings.HasSuffix(query, "status=awaiting_confirmation%2Cpaused_by_agent"):
			kind = "list-waiting"
		case path == "/agents/v2/executions" && strings.Contains(query, "createdBefore"):
			kind = "list-resolve"
		case path == "/agents/v2/executions" && strings.Contains(query, "createdAfter"):
			kind = "list-new"
		case path == "/agents/v2/executions" && strings.Contains(query, "running"):
			kind = "list-full"
		case path == "/agents/v2/executions":
			kind = "list-terminal"
		case path == "/agents/v2/executions/{id}":
			kind = "get"
		case path == "/agents/v2/executions/{id}/activities":
			switch {
			case strings.Contains(query, "limit=1&") || strings.HasSuffix(query, "limit=1"):
				kind = "peek"
			case strings.Contains(query, "limit=20"):
				kind = "question"
			default:
				kind = "tail"
			}
		default:
			kind = "catalog"
		}
		out[kind] += n
	}
	return out
}

func (r loadResult) report(b *testing.B) {
	per := func(n int64) float64 { return float64(n) / r.minutes }
	k := r.kinds()
	lists := k["list-waiting"] + k["list-new"] + k["list-full"] + k["list-terminal"] + k["list-resolve"]
	b.ReportMetric(per(r.requests.Total), "req/min")
	b.ReportMetric(per(lists), "lists/min")
	b.ReportMetric(per(k["get"]), "gets/min")
	b.ReportMetric(per(k["question"]), "questions/min")
	b.ReportMetric(per(k["peek"]), "peeks/min")
	b.ReportMetric(per(k["tail"]), "tail/min")
	b.ReportMetric(ms(quantile(r.detect, 0.50)), "detect-p50-ms")
	b.ReportMetric(ms(quantile(r.detect, 0.95)), "detect-p95-ms")
	b.ReportMetric(ms(quantile(r.asked, 0.50)), "asked-p50-ms")
	b.ReportMetric(ms(quantile(r.asked, 0.95)), "asked-p95-ms")
	b.ReportMetric(float64(len(r.asked))/float64(max(r.spells, 1))*100, "asked-%")
	b.ReportMetric(float64(r.truthErr), "waiting-off-by")
	b.ReportMetric(float64(r.countErr), "counts-off-by")
	var parts []string
	for _, kind := range []string{"list-waiting", "list-new", "list-full", "list-terminal", "list-resolve", "get", "question", "peek", "tail", "catalog"} {
		parts = append(parts, fmt.Sprintf("%s %.0f", kind, per(k[kind])))
	}
	b.Logf("N=%d over %.1f simulated min: %.0f req/min (%s); %d waits seen, detected p50 %.0f ms p95 %.0f ms; %d questions read, p50 %.0f ms p95 %.0f ms; NEEDS YOU off by %d, the active counts by %d in all, at the end",
		r.n, r.minutes, per(r.requests.Total), strings.Join(parts, ", "), r.spells,
		ms(quantile(r.detect, 0.5)), ms(quantile(r.detect, 0.95)), len(r.asked), ms(quantile(r.asked, 0.5)), ms(quantile(r.asked, 0.95)), r.truthErr, r.countErr)
}

func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
