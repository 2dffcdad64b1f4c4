// Package platform is the one registry of the platforms agentop speaks to:
// per platform its name, public origin, environment variables, client
// constructor and built-in simulator. The configuration, the CLI and demo
// mode ask it, so nothing above api/ names a platform's client package.
//
// Adding a platform is one file here (its Spec, appended to specs) next to
// its api/<platform> client and simulator façade.
package platform

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// Default is the platform used when none is named.
const Default = "asteroid"

// Env names the environment variables a platform's settings come from.
type Env struct {
	APIKey       string // the API key (or token)
	BaseURL      string // the API origin
	Organization string // the organization, where the platform has one; "" otherwise
	// Extra maps the names of the platform's own settings ("team-id",
	// "jwt") to their variables.
	Extra map[string]string
}

// Options connect a client to one deployment of a platform.
type Options struct {
	BaseURL        string
	APIKey         string
	OrganizationID string
	// Extra holds the platform's own settings by name (Spec.Extra).
	Extra         map[string]string
	AllowInsecure bool // plain http to a host that is not loopback
	UserAgent     string
	Timeout       time.Duration // of each request; the client's default when 0
	Logger        *slog.Logger  // one debug record per request; never a key or a body
}

// SimConfig starts a platform's simulator façade.
type SimConfig struct {
	Addr        string // HOST:PORT; a random loopback port when ""
	AllowRemote bool   // permit a non-loopback address (with a key of the user's own)
	APIKey      string // the key clients must send; the seed's demo key when ""
	Sim         sim.Config
	Faults      simhttp.Faults
	// Options are façade-specific settings by name ("activity-shape"); a
	// façade refuses one it does not know.
	Options map[string]string
	Logger  *slog.Logger
}

// Simulator is a running façade.
type Simulator struct {
	URL    string      // origin to point a client at
	APIKey string      // the key it accepts (the well-known demo key unless set)
	Extra  Options     // further settings a client needs (Extra: a team id …)
	Engine *sim.Engine // the fleet it serves
	Close  func() error
}

// Spec describes one platform.
type Spec struct {
	Name           string // short name, as in --platform and a context's platform:
	Title          string // for display: "Asteroid"
	DefaultBaseURL string
	Env            Env
	// Extra lists the platform's own settings, in the order they are shown
	// (each also a context key of the same name in the config file).
	Extra []Setting
	// New builds a client.
	New func(Options) (api.Backend, error)
	// Simulate starts the built-in simulator, serving until ctx is done or
	// Close is called.
	Simulate func(ctx context.Context, cfg SimConfig) (*Simulator, error)
	// SimOptions are the façade-specific options Simulate accepts.
	SimOptions []Setting
	// SimHealth is the path of the simulator's health check, answered
	// without a key; "" when it has none. With DemoKey it lets --demo find
	// an agentop sim already serving.
	SimHealth string
	// DemoKey is the key the simulator seeded with seed accepts unless
	// given another; nil when it has no such key.
	DemoKey func(seed int64) string
}

// Setting is a platform-specific option: a name and what it means.
type Setting struct {
	Name   string
	Usage  string
	Values []string // the allowed values, when they are few
	Secret bool     // never shown
}

// Export is a shell line pointing clients of s's platform at sim.
func (s Spec) Export(sm *Simulator) string {
	parts := []string{s.Env.BaseURL + "=" + sm.URL, s.Env.APIKey + "=" + sm.APIKey}
	for _, x := range s.Extra {
		if v, ok := sm.Extra.Extra[x.Name]; ok && s.Env.Extra[x.Name] != "" {
			parts = append(parts, s.Env.Extra[x.Name]+"="+v)
		}
	}
	return "export " + strings.Join(parts, " ")
}

// specs is the registry, in the order platforms are listed.
var specs = []Spec{asteroidSpec, archastroSpec, moderatelySpec, prefactorSpec}

// All returns every platform, in order.
func All() []Spec { return slices.Clone(specs) }

// Names returns every platform's name, in order.
func Names() []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Name
	}
	return out
}

// Lookup finds a platform by name (case-insensitive).
func Lookup(name string) (Spec, error) {
	for _, s := range specs {
		if strings.EqualFold(s.Name, strings.TrimSpace(name)) {
			return s, nil
		}
	}
	names := Names()
	sort.Strings(names)
	return Spec{}, fmt.Errorf("unknown platform %q: the platforms are %s", name, strings.Join(names, ", "))
}

// MustLookup is Lookup for names known to exist (Default).
func MustLookup(name string) Spec {
	s, err := Lookup(name)
	if err != nil {
		panic(err)
	}
	return s
}
