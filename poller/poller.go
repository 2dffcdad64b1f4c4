// Package poller keeps a live picture of an agent fleet fresh by polling a
// platform Backend, and reports what changed as typed events on a channel.
//
// It runs four loops, each with its own cadence and backoff:
//
//   - the sweeper lists the executions waiting for a human every second
//     (server-side status filter, paged: never one request per execution),
//     new executions (created since the newest known) on an adaptive
//     cadence, every active one slowly as the safety net, recent terminal
//     ones, resolves executions that left the active set, and reads each
//     waiting execution's question once per wait;
//   - the tailer follows the focused execution's activities
//     (order=desc&limit=N, merged by id, with gap detection), and stops after
//     a final fetch once the execution is terminal;
//   - the peeker fetches the newest activity of the executions visible on
//     screen, within a small budget, so cost follows the screen, not the fleet;
//   - the catalog loop lists agents, profiles and pools, rarely.
//
// The poller knows nothing of Bubble Tea: a UI reads Events() and calls
// Focus, SetVisible, Nudge and Refresh.
package poller

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentop/agentop/api"
)

// Config tunes the poller. Zero values take the defaults noted.
type Config struct {
	Backend        api.Backend
	OrganizationID string

	PageSize        int           // executions per page asked for (the server may give fewer); default 100
	ListConcurrency int           // pages (and question reads) in flight at once; default 4
	MaxActive       int           // most non-terminal executions swept; default 10000
	KeepTerminal    int           // recent terminal executions kept; default 300
	FastSweep       time.Duration // sweep interval: the waiting executions are listed this often; default 1s
	WaitingPages    int           // pages the waiting listing may take every FastSweep: one of more pages stretches the interval in proportion, up to FastSweepMax; default 5 (300 requests a minute)
	FastSweepMax    time.Duration // the longest sweep interval while something runs, however many pages the waiting listing takes; default 1.25 FastSweep (a new wait is then seen within 1.5 s)
	SlowSweep       time.Duration // the waiting listing's interval while nothing runs; after a Nudge, new executions are listed this often; default 5s
	FullSweep       time.Duration // every active execution is listed this often (the safety net); default 15s
	FullPages       int           // pages the full listing may take every FullSweep: a longer one stretches the interval in proportion, up to twice FullSweep; default 10
	TerminalSweep   time.Duration // recent-terminal and resolving listings' interval; default 45s
	PollTimeout     time.Duration // deadline of each poll request (actions have their own); default 5s
	StaleAfter      time.Duration // data older than this is reported degraded, never live; default 15s
	CatalogEvery    time.Duration // agents/profiles/pools interval; default 5m
	FastTail        time.Duration // focused feed interval while it moves; default 1s
	SlowTail        time.Duration // focused feed interval when quiet; default 3s
	TailLimit       int           // activities per tail request; default 50
	MaxTailLimit    int           // widest window on a gap; default 500
	PeekEvery       time.Duration // visible rows' last-activity round; default 2s
	PeekStale       time.Duration // refresh a visible row at most this often; default 30s
	PeekBudget      int           // calls per peek round; default 4
	QuestionLimit   int           // activities read to find an agent's question; default 20
	QuestionBatch   int           // question reads per sweep; default 10
	QuestionRate    int           // question reads a minute for executions not on screen; default 80
	ResolveBatch    int           // single-execution lookups saved up at most; default 10
	ResolveRate     int           // single-execution lookups a minute; default 30
	RangeResolve    int           // departed executions from which one listing resolves them together; default 3
	RangePages      int           // pages of that listing at most; default 5
	MaxBackoff      time.Duration // longest wait after failures; default 60s
	HurryFor        time.Duration // how long Nudge keeps cadences fast; default 10s
	NudgeFull       time.Duration // a Nudge lists every active execution at most this often; default 10s

	Logger *slog.Logger     // optional
	Now    func() time.Time // optional clock
}

func (c *Config) defaults() {
	setInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	setDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	setInt(&c.PageSize, 100)
	setInt(&c.ListConcurrency, 4)
	setInt(&c.MaxActive, 10000)
	setInt(&c.KeepTerminal, 300)
	setDur(&c.FastSweep, time.Second)
	setInt(&c.WaitingPages, 5)
	setDur(&c.FastSweepMax, c.FastSweep*5/4)
	setDur(&c.SlowSweep, 5*time.Second)
	setDur(&c.FullSweep, 15*time.Second)
	setInt(&c.FullPages, 10)
	setDur(&c.TerminalSweep, 45*time.Second)
	setDur(&c.PollTimeout, 5*time.Second)
	setDur(&c.StaleAfter, 3*c.SlowSweep)
	setDur(&c.CatalogEvery, 5*time.Minute)
	setDur(&c.FastTail, time.Second)
	setDur(&c.SlowTail, 3*time.Second)
	setInt(&c.TailLimit, 50)
	setInt(&c.MaxTailLimit, 500)
	setDur(&c.PeekEvery, 2*time.Second)
	setDur(&c.PeekStale, 30*time.Second)
	setInt(&c.PeekBudget, 4)
	setInt(&c.QuestionLimit, 20)
	setInt(&c.QuestionBatch, 10)
	setInt(&c.QuestionRate, 80)
	setInt(&c.ResolveBatch, 10)
	setInt(&c.ResolveRate, 30)
	setInt(&c.RangeResolve, 3)
	setInt(&c.RangePages, 5)
	setDur(&c.MaxBackoff, time.Minute)
	setDur(&c.HurryFor, 10*time.Second)
	setDur(&c.NudgeFull, 10*time.Second)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Poller polls a Backend. Create it with New, start it with Run.
type Poller struct {
	cfg    Config
	caps   api.Capabilities
	events chan Event
	snap   atomic.Pointer[Snapshot]

	mu         sync.Mutex
	focusID    string
	focusGen   uint64
	visible    []string
	visibleGen uint64
	hurryAt    time.Time // last Nudge
	refreshAt  time.Time // last Refresh
	lookNow    []string  // executions to look up at once (acted on, or seen ending by the tailer)

	health health
	fan    agentIDs // for listings over a platform's cap (hints.go)

	wakeSweep, wakeTail, wakePeek, wakeCatalog chan struct{}
}

// New returns a poller for cfg.Backend.
func New(cfg Config) *Poller {
	cfg.defaults()
	cfg.applyHints(api.HintsOf(cfg.Backend))
	return &Poller{
		cfg:         cfg,
		caps:        cfg.Backend.Capabilities(),
		events:      make(chan Event, 64),
		wakeSweep:   make(chan struct{}, 1),
		wakeTail:    make(chan struct{}, 1),
		wakePeek:    make(chan struct{}, 1),
		wakeCatalog: make(chan struct{}, 1),
	}
}

// Events is where the poller reports. It is closed when Run returns.
func (p *Poller) Events() <-chan Event { return p.events }

// Snapshot returns the newest published snapshot (nil before the first sweep).
func (p *Poller) Snapshot() *Snapshot { return p.snap.Load() }

// Focus makes id the execution whose activities are tailed ("" for none).
// gen is the caller's focus generation, a number it increases with every
// focus change: ActivitiesEvents carry it, so the caller can drop those of an
// earlier focus without asking the poller.
//
// Callers may deliver focus changes out of order (from concurrent goroutines);
// a generation older than the current one is ignored.
func (p *Poller) Focus(id string, gen uint64) {
	p.mu.Lock()
	if gen < p.focusGen {
		p.mu.Unlock()
		return
	}
	p.focusID = id
	p.focusGen = gen
	p.mu.Unlock()
	wake(p.wakeTail)
}

// SetVisible tells the poller which executions are on screen, in display
// order; the peeker keeps their newest activity fresh. gen orders calls
// like Focus's: an older one is ignored.
func (p *Poller) SetVisible(ids []string, gen uint64) {
	cp := append([]string(nil), ids...)
	p.mu.Lock()
	if gen < p.visibleGen {
		p.mu.Unlock()
		return
	}
	p.visible, p.visibleGen = cp, gen
	p.mu.Unlock()
	wake(p.wakePeek)
}

// NudgeFor is Nudge after an action on the executions ids (a reply, a
// pause …): they are looked up at the next sweep, so their new status shows
// at once, and the question of one still waiting is read again (the agent
// may have asked again before a listing saw it running).
func (p *Poller) NudgeFor(ids ...string) {
	p.look(ids...)
	p.Nudge()
}

// Nudge asks for a sweep and a tail now and keeps both fast for a while:
// call it right after an operator action. The sweep lists every active
// execution soon after (at most every NudgeFull), since the action may have
// changed any of them; NudgeFor is cheaper when the ids are known.
func (p *Poller) Nudge() {
	p.mu.Lock()
	p.hurryAt = p.cfg.Now()
	p.mu.Unlock()
	wake(p.wakeSweep)
	wake(p.wakeTail)
}

// Refresh asks every loop, the catalog included, to run now, and the
// sweep to list every active execution.
func (p *Poller) Refresh() {
	p.mu.Lock()
	p.refreshAt = p.cfg.Now()
	p.mu.Unlock()
	p.Nudge()
	wake(p.wakePeek)
	wake(p.wakeCatalog)
}

// Run polls until ctx is done, then closes Events and returns ctx.Err().
// A panic in one of its loops stops the others and is re-raised from Run,
// in the caller's goroutine, where the caller's recover can see it.
func (p *Poller) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var once sync.Once
	var crashed any
	for _, loop := range []func(context.Context){p.sweepLoop, p.tailLoop, p.peekLoop, p.catalogLoop, p.watch, p.pushLoop} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { crashed = r })
					cancel()
				}
			}()
			loop(ctx)
		}()
	}
	wg.Wait()
	close(p.events)
	if crashed != nil {
		panic(crashed)
	}
	return ctx.Err()
}

// emit delivers an event unless ctx ends first.
func (p *Poller) emit(ctx context.Context, ev Event) bool {
	select {
	case p.events <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

func (p *Poller) focus() (string, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.focusID, p.focusGen
}

func (p *Poller) lastHurry() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hurryAt
}

// look asks the sweeper to look ids up at its next round rather than wait
// for the next full listing.
func (p *Poller) look(ids ...string) {
	p.mu.Lock()
	for _, id := range ids {
		if len(p.lookNow) < 64 && id != "" {
			p.lookNow = append(p.lookNow, id)
		}
	}
	p.mu.Unlock()
}

func (p *Poller) takeLooks() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.lookNow
	p.lookNow = nil
	return out
}

func (p *Poller) lastRefresh() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refreshAt
}

// wake signals a loop without blocking.
func wake(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// sleep waits for d, a wake-up, or the end of ctx; it reports whether to go on.
func sleep(ctx context.Context, d time.Duration, wakeup <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-wakeup:
		return true
	case <-ctx.Done():
		return false
	}
}
