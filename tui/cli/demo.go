package cli

import (
	"context"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/platform"
)

// demoNotice is printed on stderr whenever a command runs on demo data.
const demoNotice = "using the built-in simulator (demo data)"

// demoBackend starts the simulator of the configured platform in-process on
// a random loopback port and connects to it over HTTP with the platform's
// real client, exactly as to a platform. It stops when the invocation ends.
func (a *app) demoBackend(ctx context.Context) (api.Backend, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	be, err := a.simulated(ctx, cfg.Spec)
	if err != nil {
		return nil, err
	}
	if cfg.Spec.Name == platform.Default {
		a.noticef("%s", demoNotice)
	} else {
		a.noticef("%s of %s", demoNotice, cfg.Spec.Title)
	}
	return be, nil
}

// simulated starts spec's simulator for the rest of the invocation and
// returns its client.
func (a *app) simulated(ctx context.Context, spec platform.Spec) (api.Backend, error) {
	srv, err := spec.Simulate(ctx, platform.SimConfig{Logger: a.log})
	if err != nil {
		return nil, failed(err, "start the built-in simulator of %s", spec.Title)
	}
	a.cleanup = append(a.cleanup, func() { _ = srv.Close() })
	o := srv.Extra
	o.BaseURL, o.APIKey = srv.URL, srv.APIKey
	return a.client(spec, o)
}
