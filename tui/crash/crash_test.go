package crash_test

import (
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/tui/crash"
)

func TestTheFirstPanicIsKeptAndStopsTheProgramOnce(t *testing.T) {
	var stops atomic.Int32
	g := crash.New(func() { stops.Add(1) })
	done := make(chan struct{}, 2)
	for _, where := range []string{"poller", "forwarder"} {
		g.Go(where, func() {
			defer func() { done <- struct{}{} }()
			panic(where + " broke")
		})
		<-done // one after the other: the first one wins
		time.Sleep(10 * time.Millisecond)
	}
	p := g.Panic()
	require.NotNil(t, p)
	assert.Equal(t, "poller", p.Where)
	assert.Equal(t, "internal error in poller: poller broke", p.Error())
	assert.Contains(t, string(p.Stack), "crash_test.go", "the stack shows where")
	assert.EqualValues(t, 1, stops.Load())
}

func TestAGoroutineThatReturnsLeavesNoPanic(t *testing.T) {
	g := crash.New(func() { t.Error("stopped without a panic") })
	done := make(chan struct{})
	g.Go("quiet", func() { close(done) })
	<-done
	time.Sleep(10 * time.Millisecond)
	assert.Nil(t, g.Panic())
}

func TestTheReportIsPrivateAndHoldsNoSecret(t *testing.T) {
	dir := t.TempDir()
	path, err := crash.WriteReport(dir, &crash.Panic{Where: "poller", Value: "key sk-secret-123 leaked", Stack: []byte("goroutine 1")}, "sk-secret-123")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(path, dir))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(b), "internal error in poller")
	assert.Contains(t, string(b), "goroutine 1")
	assert.NotContains(t, string(b), "sk-secret-123")
}
