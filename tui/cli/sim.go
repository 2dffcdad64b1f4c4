package cli

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
	"github.com/agentop/agentop/tui/config"
)

// defaultSimAddr is where agentop sim listens unless told otherwise: a fixed
// port, so the export line stays valid across restarts.
const defaultSimAddr = "127.0.0.1:8484"

// SimOutput is what agentop sim prints before it serves (-o json).
type SimOutput struct {
	Platform string `json:"platform"`
	BaseURL  string `json:"baseUrl"`
	APIKey   string `json:"apiKey"` // the simulator's own key, not a secret
	Export   string `json:"export"` // a line to paste into a shell
}

func (a *app) simCmd() *cobra.Command {
	var (
		cfg                            platform.SimConfig
		scenario, shape, latency       string
		webhook, casing, approveAfter  string
		control                        bool
		errRate, limitRate, hangRate   float64
		malformedRate, resetRate, rate float64
	)
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Serve the built-in simulator of a platform's API",
		Long: `Serve a simulated deployment of a platform over HTTP: a fleet of ten agents
whose executions browse, reason, download files, ask a human and wait, then
succeed or fail. Point agentop (or the platform's own client) at it with the
printed export line. It serves until interrupted (Ctrl-C).

Platforms (--platform, default ` + platform.Default + `): ` + platformList() + `.

Scenarios: demo (a lively fleet), idle (nothing moves unless you act),
"busy N" (N executions kept running), "flood R" (one execution emitting R
activities a second). The fault flags make a share of requests fail, for
testing clients: rates are fractions between 0 and 1. The same --seed gives
the same fleet. See docs/SIMULATOR.md.`,
		Example: `  # Serve, then paste the printed export line into another shell
  agentop sim
  agentop executions list --status paused_by_agent

  agentop sim --addr 127.0.0.1:0 --seed 7    # a random port, another fleet
  agentop sim --platform asteroid            # pick the platform it speaks
  agentop sim --scenario "busy 50" --speed 4
  agentop sim --error-rate 0.1 --rate-limit-rate 0.05 --latency 200ms±50ms
  agentop sim --webhook http://127.0.0.1:9000/hooks   # test your webhook receiver`,
		Args: args(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec, err := platform.Lookup(cmp.Or(a.flags.platform, a.env(config.EnvPlatform), platform.Default))
			if err != nil {
				return usageErrorf("--platform: %v", err)
			}
			if cfg.Sim.Scenario, err = sim.ParseScenario(scenario); err != nil {
				return usageErrorf("--scenario: %v", err)
			}
			// Façade options: passed on when given; the façade refuses one
			// it does not take.
			for name, v := range map[string]string{"activity-shape": shape, "webhook": webhook, "step-casing": casing, "approve-after": approveAfter} {
				if cmd.Flags().Changed(name) {
					if cfg.Options == nil {
						cfg.Options = map[string]string{}
					}
					cfg.Options[name] = v
				}
			}
			if control {
				if cfg.Options == nil {
					cfg.Options = map[string]string{}
				}
				cfg.Options["control"] = "true"
			}
			if err := checkSimOptions(spec, cfg.Options); err != nil {
				return err
			}
			if cfg.Faults.Latency, cfg.Faults.Jitter, err = simhttp.ParseLatency(latency); err != nil {
				return usageErrorf("--latency: %v", err)
			}
			cfg.Faults.ErrorRate, cfg.Faults.RateLimitRate, cfg.Faults.TimeoutRate = errRate, limitRate, hangRate
			cfg.Faults.MalformedRate, cfg.Faults.ResetRate = malformedRate, resetRate
			if err := cfg.Faults.Validate(); err != nil {
				return usageErrorf("%v", err)
			}
			if cfg.Sim.Speed <= 0 {
				return usageErrorf("--speed must be positive")
			}
			cfg.Sim.StartRate = rate
			cfg.Logger = a.log
			srv, err := spec.Simulate(cmd.Context(), cfg)
			if k := api.KindOf(err); k == api.KindInvalid || k == api.KindInsecure {
				return withCode(exitUsage, failed(err, "start the simulator"))
			}
			if err != nil {
				return withCode(exitError, failed(err, "start the simulator"))
			}
			defer srv.Close()
			out := SimOutput{Platform: spec.Name, BaseURL: srv.URL, APIKey: srv.APIKey, Export: spec.Export(srv)}
			err = a.emit(out, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "%s simulator listening (scenario %s, seed %d, speed %gx).\nBase URL: %s\nAPI key:  %s\n\n%s\n",
					spec.Title, cfg.Sim.Scenario, cfg.Sim.Seed, cfg.Sim.Speed, out.BaseURL, out.APIKey, out.Export)
				return err
			})
			if err != nil {
				return err
			}
			if webhook != "" {
				a.noticef("posting execution events to %s", webhook)
			}
			a.noticef("serving until interrupted (Ctrl-C)")
			<-cmd.Context().Done()
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Addr, "addr", defaultSimAddr, "listen on `HOST:PORT` (port 0: a random one)")
	f.BoolVar(&cfg.AllowRemote, "allow-remote", false, "allow an address that is not loopback (with --api-key: the demo key is well known)")
	f.StringVar(&cfg.APIKey, "api-key", "", "the `KEY` clients must send (default: the seed's demo key)")
	f.Int64Var(&cfg.Sim.Seed, "seed", 0, "same `N`, same fleet: ids, names, activities and faults")
	f.Float64Var(&cfg.Sim.Speed, "speed", 1, "pace of the scenarios (`X` times real time)")
	f.StringVar(&scenario, "scenario", string(sim.ScenarioDemo), "what the fleet does: demo, idle, \"busy N\" or \"flood R\"")
	f.StringVar(&shape, "activity-shape", "flat", "asteroid: activity payload generation, flat or envelope")
	f.StringVar(&casing, "step-casing", "mixed", "moderately: casing of live-tail step keys, mixed, camel or snake")
	f.StringVar(&webhook, "webhook", "", "asteroid: POST execution events to this loopback `URL`, as the platform's webhooks")
	f.BoolVar(&control, "control", false, "asteroid: serve POST /sim/control to switch the faults off and freeze the clock at run time (for tests)")
	f.StringVar(&approveAfter, "approve-after", "", "prefactor: how long a human approval stays open before it is approved in Slack (`DURATION`; 0: never)")
	f.Float64Var(&rate, "start-rate", 0, "executions started per `minute` (0: the scenario's; negative: none)")
	f.Float64Var(&errRate, "error-rate", 0, "`fraction` of requests answered 500, 502 or 503")
	f.Float64Var(&limitRate, "rate-limit-rate", 0, "`fraction` of requests answered 429 with Retry-After")
	f.StringVar(&latency, "latency", "", "added to every request: `DURATION`, e.g. 200ms or 200ms±50ms")
	f.Float64Var(&hangRate, "timeout-rate", 0, "`fraction` of requests that hang until the client gives up")
	f.Float64Var(&malformedRate, "malformed-rate", 0, "`fraction` of successful responses cut short")
	f.Float64Var(&resetRate, "reset-rate", 0, "`fraction` of connections reset without an answer")
	_ = cmd.RegisterFlagCompletionFunc("scenario", cobra.FixedCompletions([]string{"demo", "idle", "busy", "flood"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("activity-shape", cobra.FixedCompletions([]string{"flat", "envelope"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// checkSimOptions refuses a façade option the platform's simulator does not
// take, or a value it does not know.
func checkSimOptions(spec platform.Spec, opts map[string]string) error {
	for name, v := range opts {
		i := slices.IndexFunc(spec.SimOptions, func(o platform.Setting) bool { return o.Name == name })
		if i < 0 {
			return usageErrorf("--%s: the %s simulator has no such option", name, spec.Name)
		}
		if vals := spec.SimOptions[i].Values; len(vals) > 0 && !slices.Contains(vals, v) {
			return usageErrorf("--%s: %q is not one of %s", name, v, strings.Join(vals, ", "))
		}
	}
	return nil
}

// platformList names every platform the simulator can speak.
func platformList() string {
	return strings.Join(platform.Names(), ", ")
}
