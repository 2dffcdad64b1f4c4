package asteroidsim

import (
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/agentop/agentop/api/sim"
)

// ControlPath is the debug endpoint of a simulator started with a Control
// (agentop sim --control): GET reports the state, POST changes it. It needs
// the API key and never gets a fault.
const ControlPath = "/sim/control"

// ControlState is the body of ControlPath, both ways. In a POST a field left
// out is left as it is.
type ControlState struct {
	// Faults: whether the configured faults are injected (true at start).
	Faults *bool `json:"faults,omitempty"`
	// Frozen: whether the simulation's clock stands still (nothing comes
	// due, nobody answers or times out), which fixes the truth a client
	// should converge to. Only with a clock from NewControl.
	Frozen *bool `json:"frozen,omitempty"`
}

// Control switches a running simulator's faults off and on and freezes its
// clock, for tests that measure how a client recovers.
type Control struct {
	faultsOff atomic.Bool
	clock     *sim.PausableClock
}

// NewControl returns a control whose clock runs over base (nil: the wall
// clock). Give Clock() to the engine (sim.Config.Clock) so that it can be
// frozen.
func NewControl(base sim.Clock) *Control {
	return &Control{clock: sim.NewPausableClock(base)}
}

// Clock is the engine clock the control can freeze.
func (c *Control) Clock() sim.Clock { return c.clock }

// SetFaults turns the configured faults on or off.
func (c *Control) SetFaults(on bool) { c.faultsOff.Store(!on) }

// SetFrozen stops or starts the clock.
func (c *Control) SetFrozen(frozen bool) { c.clock.SetFrozen(frozen) }

// faultsOn reports whether faults are injected; a nil control always does.
func (c *Control) faultsOn() bool { return c == nil || !c.faultsOff.Load() }

func (c *Control) state() ControlState {
	on, frozen := c.faultsOn(), c.clock.Frozen()
	return ControlState{Faults: &on, Frozen: &frozen}
}

// ServeHTTP serves ControlPath.
func (c *Control) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		var in ControlState
		if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&in); err != nil {
			writeError(w, r, http.StatusBadRequest, "want {\"faults\": bool, \"frozen\": bool}")
			return
		}
		if in.Faults != nil {
			c.SetFaults(*in.Faults)
		}
		if in.Frozen != nil {
			c.SetFrozen(*in.Frozen)
		}
	default:
		writeError(w, r, http.StatusMethodNotAllowed, "GET or POST")
		return
	}
	writeJSON(w, http.StatusOK, c.state())
}
