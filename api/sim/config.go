package sim

import (
	"crypto/rsa"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ScenarioKind names what the simulated fleet does on its own.
type ScenarioKind string

// Scenario kinds.
const (
	// ScenarioDemo is a lively fleet: history to browse, executions in
	// flight, one already waiting for a human, new ones starting on their own.
	ScenarioDemo ScenarioKind = "demo"
	// ScenarioIdle seeds the same fleet and then stands still: nothing
	// changes unless a client acts.
	ScenarioIdle ScenarioKind = "idle"
	// ScenarioBusy keeps N executions running; waiting agents get answered.
	ScenarioBusy ScenarioKind = "busy"
	// ScenarioFlood adds one execution that emits N activities per second.
	ScenarioFlood ScenarioKind = "flood"
)

// Defaults for the scenarios' N.
const (
	DefaultBusy  = 20 // executions
	DefaultFlood = 50 // activities per second
)

// Scenario selects what the fleet does. The zero value is the demo.
type Scenario struct {
	Kind ScenarioKind
	N    int // busy: executions kept running; flood: activities per second
}

// String formats the scenario the way ParseScenario reads it.
func (s Scenario) String() string {
	switch s.Kind {
	case ScenarioBusy, ScenarioFlood:
		return fmt.Sprintf("%s %d", s.Kind, s.N)
	case "":
		return string(ScenarioDemo)
	}
	return string(s.Kind)
}

// ParseScenario reads "demo", "idle", "busy", "busy 20", "busy=20",
// "busy:20", "flood", "flood 50" … (case-insensitive). busy and flood without
// a number get DefaultBusy and DefaultFlood.
func ParseScenario(s string) (Scenario, error) {
	f := strings.FieldsFunc(strings.ToLower(strings.TrimSpace(s)), func(r rune) bool {
		return r == ' ' || r == '=' || r == ':' || r == '\t'
	})
	if len(f) == 0 {
		return Scenario{Kind: ScenarioDemo}, nil
	}
	kind := ScenarioKind(f[0])
	switch kind {
	case ScenarioDemo, ScenarioIdle:
		if len(f) > 1 {
			return Scenario{}, fmt.Errorf("scenario %q takes no number", kind)
		}
		return Scenario{Kind: kind}, nil
	case ScenarioBusy, ScenarioFlood:
		sc := Scenario{Kind: kind, N: DefaultBusy}
		if kind == ScenarioFlood {
			sc.N = DefaultFlood
		}
		if len(f) > 2 {
			return Scenario{}, fmt.Errorf("scenario %q: want %q or %q", s, kind, string(kind)+" N")
		}
		if len(f) == 2 {
			n, err := strconv.Atoi(f[1])
			if err != nil || n < 1 {
				return Scenario{}, fmt.Errorf("scenario %q: N must be a positive integer", s)
			}
			sc.N = n
		}
		return sc, nil
	}
	return Scenario{}, fmt.Errorf("unknown scenario %q (want demo, idle, busy N or flood N)", s)
}

// Config sets up an Engine. The zero value is a demo fleet on the wall clock
// at speed 1 with seed 0.
type Config struct {
	// Seed makes the fleet reproducible: the same seed and the same clock
	// readings give the same ids, names, scenarios and activities.
	Seed int64
	// Speed scales the pace of every scenario (2 = twice as fast). 0 means 1.
	// HumanTimeout is not scaled: it is a real person's time to answer.
	Speed float64
	// Scenario selects what the fleet does on its own.
	Scenario Scenario
	// StartRate is how many executions start on their own per minute
	// (at speed 1). 0 takes the scenario's default (demo: 3; idle, busy,
	// flood: none beyond the scenario's own); a negative value disables it.
	StartRate float64
	// Clock is the time source; nil means the wall clock.
	Clock Clock
	// HumanTimeout is how long an agent waits for an answer (or a
	// confirmation) before the execution fails. 0 means 10 minutes.
	HumanTimeout time.Duration
	// AutoAnswer has a simulated person answer every agent that waits (and
	// confirm every execution awaiting confirmation), for a platform with
	// no human in the loop: its executions pause briefly and carry on.
	AutoAnswer bool
	// MaxActivities bounds each execution's feed; the oldest are dropped.
	// 0 means 5,000.
	MaxActivities int
	// MaxTerminal bounds how many ended executions are kept; the ones that
	// ended first are dropped. 0 means 2,000.
	MaxTerminal int
	// PrivateKey decrypts profile credentials; nil generates an RSA-2048 key.
	PrivateKey *rsa.PrivateKey
}

// Defaults applied to zero Config fields.
const (
	DefaultHumanTimeout  = 10 * time.Minute
	DefaultMaxActivities = 5000
	DefaultMaxTerminal   = 2000
	demoStartRate        = 3.0 // per minute
)

func (c Config) withDefaults() Config {
	if c.Speed <= 0 {
		c.Speed = 1
	}
	if c.Scenario.Kind == "" {
		c.Scenario.Kind = ScenarioDemo
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.HumanTimeout <= 0 {
		c.HumanTimeout = DefaultHumanTimeout
	}
	if c.MaxActivities <= 0 {
		c.MaxActivities = DefaultMaxActivities
	}
	if c.MaxTerminal <= 0 {
		c.MaxTerminal = DefaultMaxTerminal
	}
	if c.StartRate == 0 && c.Scenario.Kind == ScenarioDemo {
		c.StartRate = demoStartRate
	}
	return c
}
