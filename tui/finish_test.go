package tui

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/tui/crash"
)

// After a panic — one a guard recovered, or one Bubble Tea caught in its
// loop (no final model then) — Run's end names the crash report it wrote
// and the drafts file; a plain interrupt is no error.
func TestFinishReportsAPanicAndWhereTheDraftsAre(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, 120, 40, func(o *Options) { o.StateDir = dir })
	for _, tc := range []struct {
		name  string
		err   error
		p     *crash.Panic
		where string
	}{
		{"guarded goroutine", fmt.Errorf("%w", tea.ErrProgramKilled), &crash.Panic{Where: "poller", Value: "boom", Stack: []byte("goroutine 7")}, "internal error in poller: boom"},
		{"bubble tea loop", fmt.Errorf("%w: %w", tea.ErrProgramKilled, tea.ErrProgramPanic), nil, "internal error in the dashboard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := finish(h.m, nil, tc.err, false, tc.p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.where)
			assert.Contains(t, err.Error(), "the terminal is restored")
			assert.Contains(t, err.Error(), "your drafts are saved in "+h.m.DraftStore().Path())
			m := regexp.MustCompile(`crash report: (\S+)$`).FindStringSubmatch(err.Error())
			require.NotNil(t, m, err.Error())
			_, serr := os.Stat(m[1])
			assert.NoError(t, serr, "the report exists")
		})
	}
	assert.NoError(t, finish(h.m, h.m, tea.ErrProgramKilled, true, nil), "stopped by a signal")
}
