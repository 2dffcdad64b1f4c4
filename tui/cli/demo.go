package cli

import (
	"context"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/asteroidsim"
)

// demoNotice is printed on stderr whenever a command runs on demo data.
const demoNotice = "using the built-in simulator (demo data)"

// demoBackend starts the simulator in-process on a random loopback port and
// connects to it over HTTP with the real client, exactly as to a platform.
// It stops when the invocation ends.
func (a *app) demoBackend(ctx context.Context) (api.Backend, error) {
	srv, err := asteroidsim.Start(ctx, asteroidsim.Config{Addr: asteroidsim.DefaultAddr, Logger: a.log})
	if err != nil {
		return nil, failed(err, "start the built-in simulator")
	}
	a.cleanup = append(a.cleanup, func() { _ = srv.Close() })
	a.noticef("%s", demoNotice)
	return a.client(srv.URL, srv.APIKey, "", false)
}
