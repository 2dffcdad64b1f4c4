package sim

import (
	"container/heap"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	mrand "math/rand/v2"
	"sync"
	"time"
)

// Engine is a simulated fleet. Create it with New; all methods are safe for
// concurrent use.
type Engine struct {
	cfg    Config
	key    *rsa.PrivateKey
	pubPEM string
	secret []byte // derives Secret's keys

	mu  sync.Mutex
	rng *mrand.Rand
	q   queue
	seq uint64
	now time.Time // the time of the event being played, or of the latest catch-up

	org      Organization
	user     User
	labels   []Label
	agents   []*agentState
	profiles []*Profile
	pools    []*Pool
	used     map[string]uint64 // profile id → the turn an execution last took it (pool strategies)
	turns    uint64
	staged   map[string]StagedFile
	blobs    blobStore // uploaded bytes, to serve back
	observer func(Execution, Activity)
	runs     map[string]*run
	order    []*run // every retained execution, in creation order
	ended    []*run // retained terminal executions, in the order they ended
}

// agentState is an agent and the playbook its executions play.
type agentState struct {
	Agent
	pb *playbook
}

// New seeds a fleet as cfg says and plays it up to the clock's current time.
func New(cfg Config) (*Engine, error) {
	cfg = cfg.withDefaults()
	key := cfg.PrivateKey
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("sim: generating the credentials key: %w", err)
		}
	}
	pub, err := publicKeyPEM(key)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		cfg:    cfg,
		key:    key,
		pubPEM: pub,
		rng:    mrand.New(mrand.NewPCG(uint64(cfg.Seed), 0x5eed_a9e7_0b5e)),
		used:   map[string]uint64{},
		staged: map[string]StagedFile{},
		runs:   map[string]*run{},
		blobs:  blobStore{max: MaxKeptUploads},
	}
	e.secret = secretOf(privateKeyBytes(e))
	e.now = e.clockNow()
	if err := e.seed(); err != nil {
		return nil, err
	}
	return e, nil
}

// Seed returns the seed the engine was built with.
func (e *Engine) Seed() int64 { return e.cfg.Seed }

// Scenario returns what the fleet does on its own.
func (e *Engine) Scenario() Scenario { return e.cfg.Scenario }

// Now returns the engine's current time (its clock's, to the millisecond).
func (e *Engine) Now() time.Time { return e.clockNow() }

// Run plays events as they come due until ctx is done. It is optional:
// every method catches up first, so an engine nobody runs is just as
// correct; Run keeps that catch-up work small and spread out.
func (e *Engine) Run(ctx context.Context) {
	const idle = time.Second
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		e.mu.Lock()
		e.advance()
		next, ok := e.q.next()
		wait := idle
		if ok {
			wait = min(next.Sub(e.now), idle)
		}
		e.mu.Unlock()
		t.Reset(max(wait, time.Millisecond))
	}
}

// lock takes the engine's lock and plays every event that has come due.
func (e *Engine) lock() {
	e.mu.Lock()
	e.advance()
}

func (e *Engine) clockNow() time.Time {
	return e.cfg.Clock.Now().Truncate(time.Millisecond)
}

// advance plays due events in (time, schedule order) and leaves e.now at
// the clock's time.
func (e *Engine) advance() {
	now := e.clockNow()
	for ev := e.q.popDue(now); ev != nil; ev = e.q.popDue(now) {
		e.now = ev.at
		ev.fn()
	}
	if now.After(e.now) {
		e.now = now
	}
}

// at schedules fn at t.
func (e *Engine) at(t time.Time, fn func()) *event {
	e.seq++
	ev := &event{at: t, seq: e.seq, fn: fn}
	heap.Push(&e.q, ev)
	return ev
}

// scaled applies the speed to a scenario delay (at least a millisecond).
func (e *Engine) scaled(d time.Duration) time.Duration {
	return max(time.Duration(float64(d)/e.cfg.Speed).Truncate(time.Millisecond), time.Millisecond)
}

func (e *Engine) id() string { return newUUID(e.rng) }

func (e *Engine) agent(id string) (*agentState, error) {
	for _, a := range e.agents {
		if a.ID == id {
			return a, nil
		}
	}
	return nil, notFound("agent", id)
}

func (e *Engine) run(id string) (*run, error) {
	if r, ok := e.runs[id]; ok {
		return r, nil
	}
	return nil, notFound("execution", id)
}

// checkOrg accepts an empty organization id or the simulated one's.
func (e *Engine) checkOrg(id string) error {
	if id != "" && id != e.org.ID {
		return notMember()
	}
	return nil
}

// Organization returns the simulated organization.
func (e *Engine) Organization() Organization { return e.org }

// User returns the simulated user.
func (e *Engine) User() User { return e.user }
