package poller

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/agentop/agentop/api"
)

// cappedBackend lists at most a page and says it stopped at its cap, as
// ArchAstro's session list does past 100; it has no agents to fan out over.
type cappedBackend struct{ *fakeBackend }

func (c cappedBackend) ListExecutions(ctx context.Context, q api.ExecutionQuery) (api.Page[api.Execution], error) {
	p, err := c.fakeBackend.ListExecutions(ctx, q)
	if err == nil && len(p.Items) > 0 && len(q.Statuses) > 2 { // the listing of every active execution
		p.Capped, p.TotalUnknown = true, true
	}
	return p, err
}

func (c cappedBackend) ListAgents(context.Context, api.AgentQuery) (api.Page[api.Agent], error) {
	return api.Page[api.Agent]{}, nil
}

// TestACappedListingMarksThePictureAsPartial: when the platform stops at
// its cap and nothing narrower can list the rest, the snapshot says the
// picture is partial (the header says so); a listing that is whole again
// clears it.
func TestACappedListingMarksThePictureAsPartial(t *testing.T) {
	f := newFake()
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		f.put(id, api.StatusRunning, i)
	}
	h := start(t, f, func(c *Config) { c.Backend = cappedBackend{f} })
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Partial })

	h2 := start(t, newFakeWith(f), nil...)
	snap := waitFor(h2, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 5 }).Snapshot
	assert.False(t, snap.Partial, "a whole listing is not partial")
}

// newFakeWith is a fresh fake holding f's executions.
func newFakeWith(f *fakeBackend) *fakeBackend {
	g := newFake()
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, e := range f.execs {
		g.execs[id] = e
	}
	return g
}
