package asteroid

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

// maxMessage bounds a server message kept in an error, in runes.
const maxMessage = 300

// maxRetryAfter caps the wait a Retry-After may ask for.
const maxRetryAfter = 24 * time.Hour

// statusError turns a non-2xx response into an *api.Error.
func (c *Client) statusError(op string, resp *http.Response, body []byte) error {
	e := &api.Error{
		Kind:       kindForStatus(resp.StatusCode),
		Op:         op,
		StatusCode: resp.StatusCode,
		Message:    c.errorMessage(string(body), resp.Header.Get("Content-Type")),
	}
	if e.Message == "" {
		e.Message = strings.ToLower(http.StatusText(resp.StatusCode))
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return e
}

// kindForStatus classifies an HTTP status.
func kindForStatus(code int) api.ErrorKind {
	switch code {
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		return api.KindInvalid
	case http.StatusUnauthorized:
		return api.KindUnauthorized
	case http.StatusForbidden:
		return api.KindForbidden
	case http.StatusNotFound, http.StatusGone:
		return api.KindNotFound
	case http.StatusRequestTimeout:
		return api.KindTimeout
	case http.StatusTooManyRequests:
		return api.KindRateLimited
	}
	if code >= 500 {
		return api.KindServer
	}
	return api.KindUnknown
}

var htmlTag = regexp.MustCompile(`(?s)<(script|style)\b.*?</(script|style)>|<[^>]*>`)

// errorMessage reads the server's message out of an error body of any shape:
// v2 {"code","message"}, v1 {"error"}, a JSON string, plain text or HTML.
// The result is one line of at most maxMessage runes, without the API key:
// it is redacted from the body and again from the decoded message (JSON may
// spell the key with escapes such as \u0073k-…), both before the cut, so
// that no part of it survives either.
func (c *Client) errorMessage(body, contentType string) string {
	body = strings.TrimSpace(c.redact(body))
	if body == "" {
		return ""
	}
	var msg string
	switch body[0] {
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal([]byte(body), &obj) == nil {
			msg = firstText(obj, "message", "error", "detail", "error_description")
		}
	case '"':
		_ = json.Unmarshal([]byte(body), &msg)
	}
	if msg == "" {
		msg = body
		if strings.Contains(contentType, "html") || body[0] == '<' {
			msg = htmlTag.ReplaceAllString(msg, " ")
		}
	}
	return clip(oneLine(c.redact(msg)), maxMessage)
}

// firstText returns the first of keys in obj that holds text: a string, or
// an object with its own "message" (as in {"error": {"message": "…"}}).
func firstText(obj map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		raw, ok := obj[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			return s
		}
		var inner map[string]json.RawMessage
		if json.Unmarshal(raw, &inner) == nil {
			if s := firstText(inner, "message"); s != "" {
				return s
			}
		}
	}
	return ""
}

// retryAfter parses a Retry-After value, delta-seconds or an HTTP-date, as a
// wait from now, at most maxRetryAfter. Unparseable or past values give 0.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxRetryAfter)
		}
	}
	return 0
}

// transportError classifies a failure to get a response: the caller's
// context (canceled or past its deadline), the per-request timeout, a refused
// redirect, or a network error.
func (c *Client) transportError(ctx, rctx context.Context, op string, err error) error {
	e := &api.Error{Op: op, Err: err}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		e.Err = uerr.Err // the URL adds nothing the Op does not say
	}
	var rerr *redirectError
	var nerr net.Error
	switch {
	case errors.As(err, &rerr):
		e.Kind, e.StatusCode, e.Message = rerr.kind, rerr.status, rerr.msg
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind, e.Message, e.Err = api.KindCanceled, "the request was canceled", ctx.Err()
	case ctx.Err() != nil:
		e.Kind, e.Message, e.Err = api.KindTimeout, "the deadline passed before the server answered", ctx.Err()
	case rctx.Err() != nil:
		e.Kind, e.Message, e.Err = api.KindTimeout, fmt.Sprintf("no answer within %s", c.timeout), rctx.Err()
	case errors.As(err, &nerr) && nerr.Timeout():
		e.Kind = api.KindTimeout
	default:
		e.Kind = api.KindNetwork
	}
	return e
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

// clip shortens s to at most n runes, marking a cut with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
