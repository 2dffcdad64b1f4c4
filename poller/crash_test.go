package poller

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// panicky panics on listing executions (a bug in a platform adapter).
type panicky struct{ *fakeBackend }

func (panicky) ListExecutions(context.Context, api.ExecutionQuery) (api.Page[api.Execution], error) {
	panic("adapter bug")
}

// A panic in one of the poller's loops stops the others and comes out of
// Run in the caller's goroutine, where the dashboard's guard recovers it
// (restores the terminal, saves drafts) instead of the process dying with
// the terminal in raw mode.
func TestALoopPanicIsRaisedFromRun(t *testing.T) {
	p := New(Config{Backend: panicky{newFake()}})
	got := make(chan any, 1)
	go func() {
		defer func() { got <- recover() }()
		_ = p.Run(context.Background()) // no cancel: only the panic ends it
	}()
	select {
	case r := <-got:
		require.Equal(t, "adapter bug", r)
	case <-time.After(10 * time.Second):
		t.Fatal("Run neither returned nor panicked after a loop panicked")
	}
	_, open := <-p.Events()
	for open {
		_, open = <-p.Events()
	}
}
