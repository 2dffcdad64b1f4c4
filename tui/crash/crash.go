// Package crash turns a panic in any of the dashboard's goroutines into an
// orderly stop: the first panic is kept with its stack, the program is told
// to stop (which restores the terminal), and the caller — once the program
// has returned and its drafts are saved — writes a crash report and tells
// the operator where it is. Panics in Bubble Tea's own loop and Cmds are
// caught by Bubble Tea, which restores the terminal; the caller handles the
// rest of those the same way.
package crash

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Panic is a recovered panic: where it happened, its value and the stack.
type Panic struct {
	Where string
	Value any
	Stack []byte
}

func (p *Panic) Error() string { return fmt.Sprintf("internal error in %s: %v", p.Where, p.Value) }

// Guard collects the first panic of the goroutines it runs and then calls
// stop, once. The zero value is not usable; use New.
type Guard struct {
	stop func()
	once sync.Once
	mu   sync.Mutex
	p    *Panic
}

// New returns a guard that calls stop (e.g. the program's Kill) after the
// first panic.
func New(stop func()) *Guard { return &Guard{stop: stop} }

// Go runs fn in a goroutine whose panic is recovered by the guard.
func (g *Guard) Go(where string, fn func()) {
	go func() {
		defer g.Recover(where)
		fn()
	}()
}

// Recover, deferred at the top of a goroutine, recovers its panic, keeps it
// (the first one wins) and stops the program.
func (g *Guard) Recover(where string) {
	r := recover()
	if r == nil {
		return
	}
	g.mu.Lock()
	if g.p == nil {
		g.p = &Panic{Where: where, Value: r, Stack: debug.Stack()}
	}
	g.mu.Unlock()
	g.once.Do(func() {
		if g.stop != nil {
			g.stop()
		}
	})
}

// Panic returns the first panic recovered, or nil.
func (g *Guard) Panic() *Panic {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.p
}

// WriteReport writes p to a new file crash-<time>.log (0600) under dir and
// returns its path. Every secret given is blanked out first.
func WriteReport(dir string, p *Panic, secrets ...string) (string, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	text := fmt.Sprintf("agentop crashed at %s\n%s\n\n%s", time.Now().UTC().Format(time.RFC3339), p.Error(), p.Stack)
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "[redacted]")
		}
	}
	f, err := os.CreateTemp(dir, "crash-"+time.Now().UTC().Format("20060102T150405")+"-*.log")
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := f.Chmod(0o600); err != nil {
		return "", err
	}
	if _, err := f.WriteString(text); err != nil {
		return "", err
	}
	return filepath.Abs(f.Name())
}
