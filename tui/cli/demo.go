package cli

import (
	"context"
	"net/http"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/api/sim"
)

// demoNotice is printed on stderr whenever a command runs on demo data.
const demoNotice = "using the built-in simulator (demo data)"

// freshNotice follows demoNotice when the command starts a fleet of its own.
const freshNotice = "a fresh fleet for this command alone (run 'agentop sim' in another shell to keep one between commands)"

// probeTimeout bounds each request of the look for a running agentop sim:
// on loopback, it answers at once or not at all.
const probeTimeout = 500 * time.Millisecond

// demoBackend connects to demo data: the agentop sim serving on the default
// address, when there is one (so that what one --demo command does, the next
// sees), else the simulator of the configured platform, started in-process
// on a random loopback port for this invocation alone. Either way the
// platform's real client talks to it over HTTP. The notice on stderr says
// which.
func (a *app) demoBackend(ctx context.Context) (api.Backend, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	spec := cfg.Spec
	of := ""
	if spec.Name != platform.Default {
		of = " of " + spec.Title
	}
	if be, url := a.sharedSim(ctx, spec); be != nil {
		a.noticef("%s%s: the agentop sim at %s, shared by every --demo command while it runs", demoNotice, of, url)
		return be, nil
	}
	be, err := a.simulated(ctx, spec)
	if err != nil {
		return nil, err
	}
	a.noticef("%s%s: %s", demoNotice, of, freshNotice)
	return be, nil
}

// sharedSim looks for an agentop sim of spec's platform on a.simAddr with
// the default seed's demo key: its health check answers, and so does an
// authenticated request. It returns the client and the simulator's URL, or
// nil when there is none (or it takes another key: another seed, or
// --api-key).
func (a *app) sharedSim(ctx context.Context, spec platform.Spec) (api.Backend, string) {
	if a.simAddr == "" || spec.SimHealth == "" || spec.DemoKey == nil {
		return nil, ""
	}
	url := "http://" + a.simAddr
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(pctx, http.MethodGet, url+spec.SimHealth, nil)
	if err != nil {
		return nil, ""
	}
	resp, err := (&http.Client{Timeout: probeTimeout}).Do(req)
	if err != nil {
		a.log.Debug("no agentop sim to share", "addr", a.simAddr, "err", err.Error())
		return nil, ""
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		a.log.Debug("no agentop sim to share", "addr", a.simAddr, "status", resp.StatusCode)
		return nil, ""
	}
	key := spec.DemoKey(0)
	probe, err := spec.New(platform.Options{BaseURL: url, APIKey: key, Timeout: probeTimeout, Logger: a.log})
	if err != nil {
		return nil, ""
	}
	if _, err := probe.ListAgents(pctx, api.AgentQuery{PageSize: 1}); err != nil {
		a.log.Debug("the server on the simulator's address refused the demo key", "addr", a.simAddr, "err", err.Error())
		if k := api.KindOf(err); k == api.KindUnauthorized || k == api.KindForbidden {
			a.noticef("%s answers but not to the default seed's demo key (another --seed or --api-key): not sharing it", url)
		}
		return nil, ""
	}
	be, err := a.client(spec, platform.Options{BaseURL: url, APIKey: key})
	if err != nil {
		return nil, ""
	}
	return be, url
}

// simulated starts spec's simulator for the rest of the invocation and
// returns its client.
func (a *app) simulated(ctx context.Context, spec platform.Spec) (api.Backend, error) {
	return a.simulatedSeed(ctx, spec, 0)
}

// simulatedSeed is simulated with the simulator's seed: simulators of
// different seeds never share an id.
func (a *app) simulatedSeed(ctx context.Context, spec platform.Spec, seed int64) (api.Backend, error) {
	srv, err := spec.Simulate(ctx, platform.SimConfig{Logger: a.log, Sim: sim.Config{Seed: seed}})
	if err != nil {
		return nil, failed(err, "start the built-in simulator of %s", spec.Title)
	}
	a.cleanup = append(a.cleanup, func() { _ = srv.Close() })
	o := srv.Extra
	o.BaseURL, o.APIKey = srv.URL, srv.APIKey
	return a.client(spec, o)
}
