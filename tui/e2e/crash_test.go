package e2e

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResizeStorm resizes the dashboard ~200 times between 20×5 and 400×100
// while the demo fleet runs at 8× speed (AGENTOP_RESIZES sets the count): it
// neither panics nor exits, and once the storm is over the final frame is
// clean — the header on top, every pane boxed to the window's width.
func TestResizeStorm(t *testing.T) {
	r := newRig(t, 3*time.Minute)
	r.sim("--seed", "11", "--speed", "8")
	r.dashboard(120, 36)
	r.tm.run("pipe-pane", "-t", "e2e", "-o", "cat >> "+filepath.Join(r.dir, "raw.out"))
	r.tm.waitFor(20*time.Second, "NEEDS YOU", "Executions")
	pid := r.pid()

	n := 200
	if v := os.Getenv("AGENTOP_RESIZES"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	rng := rand.New(rand.NewPCG(15, 15))
	small := 0
	for i := range n {
		w, h := 20+rng.IntN(381), 5+rng.IntN(96)
		if w < 60 || h < 16 {
			small++
		}
		r.tm.run("resize-window", "-t", "e2e", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h))
		if i%25 == 0 {
			require.True(t, alive(pid), "the dashboard died during the storm (resize %d, %d×%d)", i, w, h)
		}
		time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond)
	}
	t.Logf("%d resizes, %d of them below the 60×16 minimum", n, small)

	// A small size asks for more room.
	r.tm.run("resize-window", "-t", "e2e", "-x", "30", "-y", "8")
	r.tm.waitFor(10*time.Second, "needs at least", "enlarge it.")
	// Back to a normal size: a clean frame.
	r.tm.run("resize-window", "-t", "e2e", "-x", "120", "-y", "36")
	screen := r.tm.waitFor(10*time.Second, "NEEDS YOU", "Executions", "Activity")
	require.True(t, alive(pid), "the dashboard is still running")
	assertCleanFrame(t, screen, 120, 36)
	raw, err := os.ReadFile(filepath.Join(r.dir, "raw.out"))
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "panic", "nothing panicked")
	assert.NotContains(t, screen, "AGENTOP-EXITED")

	r.tm.keys("q")
	r.tm.waitFor(10*time.Second, "AGENTOP-EXITED 0")
}

// assertCleanFrame checks a captured screen of w×h is one whole frame: the
// header first, and every line that is part of a pane ends on its border at
// the last column (a frame left over from another size would not).
func assertCleanFrame(t *testing.T, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	require.LessOrEqual(t, len(lines), h)
	require.Contains(t, lines[0], "agentop", "the header is the first line:\n%s", screen)
	boxed := 0
	for i, l := range lines {
		runes := []rune(strings.TrimRight(l, " "))
		if len(runes) == 0 || !strings.ContainsRune("│╭╰", runes[0]) {
			continue
		}
		boxed++
		last := runes[len(runes)-1]
		assert.Truef(t, strings.ContainsRune("│╮╯", last), "line %d does not end on a border: %q", i, l)
	}
	assert.Greater(t, boxed, h/2, "most lines are inside panes:\n%s", screen)
}

// TestKillMinus9KeepsTheDraft types a reply, kills the dashboard with
// SIGKILL (no chance to clean up), starts it again, and finds the draft in
// the reply box of the same execution.
func TestKillMinus9KeepsTheDraft(t *testing.T) {
	r := newRig(t, 2*time.Minute)
	r.sim("--seed", "7", "--scenario", "idle")
	r.dashboard(120, 36)
	r.tm.waitFor(20*time.Second, "NEEDS YOU", "paused_by_agent")
	screen := r.tm.jumpToQuestion()
	id := regexp.MustCompile(`Activity · .* ([0-9a-f]{8}) · `).FindStringSubmatch(screen)
	require.NotNil(t, id, screen)
	r.tm.keys("i")
	r.tm.waitFor(5*time.Second, "enter send")
	const draft = "Payroll account please, kill-9 draft"
	r.tm.run("send-keys", "-t", "e2e", "-l", draft)
	r.tm.waitFor(5*time.Second, draft)
	time.Sleep(1500 * time.Millisecond) // drafts are saved 400 ms after typing stops

	pid := r.pid()
	require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
	r.tm.waitFor(10*time.Second, "AGENTOP-EXITED 137")

	// A new dashboard on the same state directory.
	r.restart()
	r.tm.waitFor(20*time.Second, "NEEDS YOU", "paused_by_agent")
	for range 8 { // ! goes through the questions and approvals, oldest first
		if screen = r.tm.jumpToQuestion(); strings.Contains(screen, id[1]) {
			break
		}
	}
	screen = r.tm.waitFor(10*time.Second, " asks · waiting ", draft)
	assert.Contains(t, screen, id[1], "the same execution")
}

// TestAPanicRestoresTheTerminalAndKeepsTheDraft crashes the real binary on
// purpose (a panic in one of its goroutines, armed by crash.TestEnv and
// fired by SIGUSR1) right after a reply was typed — before the usual
// debounced save: the terminal is restored (no alternate screen, cursor
// shown), the draft is on disk, and the message says where the crash report
// and the drafts are.
func TestAPanicRestoresTheTerminalAndKeepsTheDraft(t *testing.T) {
	r := newRig(t, 2*time.Minute)
	r.sim("--seed", "7", "--scenario", "idle")
	r.dashboard(120, 36, "AGENTOP_CRASH_ON_SIGUSR1=1")
	r.tm.waitFor(20*time.Second, "NEEDS YOU", "paused_by_agent")
	r.tm.jumpToQuestion()
	r.tm.keys("i")
	r.tm.waitFor(5*time.Second, "enter send")
	const draft = "draft typed just before a crash"
	r.tm.run("send-keys", "-t", "e2e", "-l", draft)
	r.tm.waitFor(5*time.Second, draft)
	require.NoError(t, syscall.Kill(r.pid(), syscall.SIGUSR1))

	screen := r.tm.waitFor(15*time.Second, "AGENTOP-EXITED 1")
	assert.NotContains(t, screen, "NEEDS YOU", "the alternate screen is gone")
	assert.Equal(t, "0", strings.TrimSpace(r.tm.run("display-message", "-p", "-t", "e2e", "#{alternate_on}")))
	assert.Equal(t, "1", strings.TrimSpace(r.tm.run("display-message", "-p", "-t", "e2e", "#{cursor_flag}")), "the cursor is shown")
	flat := r.joined()
	assert.Contains(t, flat, "internal error in crash test")
	m := regexp.MustCompile(`crash report: (\S+\.log)`).FindStringSubmatch(flat)
	require.NotNil(t, m, "the message names the crash report:\n%s", screen)
	report, err := os.ReadFile(m[1])
	require.NoError(t, err)
	assert.Contains(t, string(report), "goroutine", "the report holds the stack")
	drafts, err := os.ReadFile(filepath.Join(r.dir, "state", "agentop", "drafts", "default.json"))
	require.NoError(t, err)
	assert.Contains(t, string(drafts), draft)
	assert.Contains(t, flat, "drafts are saved in")
}
