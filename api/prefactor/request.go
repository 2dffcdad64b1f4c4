package prefactor

import (
	"context"
	"net/url"

	"github.com/agentop/agentop/api/internal/rest"
)

// req is one API call. path is a template under /api/v1 such as
// "/agent_instance/{id}" (it names the operation in errors and logs, never
// an id); args fill its {…} segments in order.
type req struct {
	method string
	path   string
	args   []string
	query  url.Values
	body   any
}

// call sends r through the shared REST core (origin checks, the token only
// to its host, bounded bodies, every failure an *api.Error without the
// token) and decodes a 2xx JSON body into out (nothing when nil).
func (c *Client) call(ctx context.Context, r req, out any) error {
	return c.rc.Do(ctx, rest.Call{Method: r.method, Path: Prefix + r.path, Args: r.args, Query: r.query, Body: r.body}, out)
}
