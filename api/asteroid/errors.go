package asteroid

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/internal/rest"
)

// The error handling every platform client shares lives in api/internal/rest;
// these name it the way this package's callers and tests do.

// statusError turns a non-2xx response into an *api.Error: the message of
// a v2 {"code","message"}, a v1 {"error"}, a JSON string, text or HTML, one
// line without the API key, and the Retry-After of a 429 or 503.
func (c *Client) statusError(op string, resp *http.Response, body []byte) error {
	return rest.StatusError(op, resp, body, c.redact)
}

// kindForStatus classifies an HTTP status.
func kindForStatus(code int) api.ErrorKind { return rest.KindForStatus(code) }

// errorMessage reads the server's message out of an error body of any shape.
func (c *Client) errorMessage(body, contentType string) string {
	return rest.ErrorMessage(body, contentType, c.redact)
}

// retryAfter parses a Retry-After value as a wait from now (at most a day).
func retryAfter(v string, now time.Time) time.Duration { return rest.RetryAfter(v, now) }

// transportError classifies a failure to get a response.
func (c *Client) transportError(ctx, rctx context.Context, op string, err error) error {
	return rest.TransportError(ctx, rctx, op, err, c.timeout)
}

// redact removes the API key from text that came from the server.
func (c *Client) redact(s string) string {
	if c.key == "" {
		return s
	}
	return strings.ReplaceAll(s, c.key, "[redacted]")
}

// oneLine collapses runs of whitespace, newlines included, into one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
