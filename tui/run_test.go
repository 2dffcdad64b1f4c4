package tui

import (
	"context"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
)

func TestForwarderCoalescesAFloodIntoFewMessages(t *testing.T) {
	events := make(chan poller.Event)
	var mu sync.Mutex
	var sent []PollMsg
	send := func(m tea.Msg) { mu.Lock(); sent = append(sent, m.(PollMsg)); mu.Unlock() }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); forward(ctx, events, send, 50*time.Millisecond) }()

	for i := range 1000 {
		events <- poller.ActivitiesEvent{ExecutionID: "e", Focus: 1, Activities: []api.Activity{{ID: string(rune(i))}}}
	}
	close(events)
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("forwarder did not stop when events closed")
	}
	cancel()
	mu.Lock()
	defer mu.Unlock()
	assert.LessOrEqual(t, len(sent), 5, "a flood becomes a few messages")
	total := 0
	for _, m := range sent {
		for _, ev := range m {
			total += len(ev.(poller.ActivitiesEvent).Activities)
		}
	}
	assert.Equal(t, 1000, total, "nothing is lost")
}

func TestForwarderStopsWithItsContext(t *testing.T) {
	events := make(chan poller.Event)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); forward(ctx, events, func(tea.Msg) {}, time.Second) }()
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		require.Fail(t, "forwarder did not stop with its context")
	}
}
