//go:build !unix

package crash

// TestEnv names the environment variable that arms InjectOnSignal (unix only).
const TestEnv = "AGENTOP_CRASH_ON_SIGUSR1"

// InjectOnSignal does nothing where there is no SIGUSR1.
func (g *Guard) InjectOnSignal(done <-chan struct{}) {}
