//go:build unix

package crash

import (
	"os"
	"os/signal"
	"syscall"
)

// TestEnv names the environment variable that arms InjectOnSignal: set to
// 1, SIGUSR1 makes a guarded goroutine panic. The reliability tests use it to
// crash the real binary on purpose; nothing else sets it.
const TestEnv = "AGENTOP_CRASH_ON_SIGUSR1"

// InjectOnSignal, when TestEnv is set, starts a guarded goroutine that
// panics on SIGUSR1 (or returns when done closes).
func (g *Guard) InjectOnSignal(done <-chan struct{}) {
	if os.Getenv(TestEnv) != "1" {
		return
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	g.Go("crash test", func() {
		defer signal.Stop(sig)
		select {
		case <-sig:
			panic("crash requested by SIGUSR1 (" + TestEnv + ")")
		case <-done:
		}
	})
}
