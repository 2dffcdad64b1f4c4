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
	spec := cfg.Spec
	srv, err := spec.Simulate(ctx, platform.SimConfig{Logger: a.log})
	if err != nil {
		return nil, failed(err, "start the built-in simulator")
	}
	a.cleanup = append(a.cleanup, func() { _ = srv.Close() })
	if spec.Name == platform.Default {
		a.noticef("%s", demoNotice)
	} else {
		a.noticef("%s of %s", demoNotice, spec.Title)
	}
	o := srv.Extra
	o.BaseURL, o.APIKey = srv.URL, srv.APIKey
	return a.client(spec, o)
}
