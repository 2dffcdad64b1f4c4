package archastro

import (
	"bufio"
	"context"
	"encoding/json"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
	"github.com/agentop/agentop/api/internal/rest"
)

// Watch follows a session's server-sent events (GET …/stream): fn gets the
// session on every session_update, starting with its current state, until
// the server closes the stream (the session ended), ctx is done, or fn
// returns false. Polling stays the source of truth; this only shortens the
// wait between sweeps. The request has no timeout of its own: ctx bounds it.
func (c *Client) Watch(ctx context.Context, id string, fn func(api.Execution) bool) error {
	if isRun(id) {
		return api.Unsupported(platformName, "follow a routine run's stream")
	}
	r := request{method: "GET", path: "/agent_sessions/{id}/stream", args: []string{id}, accept: "text/event-stream"}
	resp, err := c.http.send(ctx, ctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	names := c.agentNames(ctx)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), maxBody)
	var event string
	var data []string
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case line == "":
			if event == "session_update" && len(data) > 0 {
				raw := json.RawMessage(strings.Join(data, "\n"))
				var s wire.Session
				if json.Unmarshal(raw, &s) == nil && !fn(toSession(s, raw, names)) {
					return nil
				}
			}
			event, data = "", nil
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(line[len("event:"):])
		case strings.HasPrefix(line, "data:"):
			data = append(data, strings.TrimSpace(line[len("data:"):]))
		}
	}
	if err := sc.Err(); err != nil && ctx.Err() == nil {
		return rest.TransportError(ctx, ctx, r.op(), err, 0)
	}
	return nil
}
