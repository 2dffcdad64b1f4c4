package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

const (
	maxBody       = 16 << 20 // largest success body read
	maxErrorBody  = 64 << 10 // largest error body read
	maxMessage    = 300      // runes of a server message kept in an error
	maxRetryAfter = 24 * time.Hour
)

// Call is one request. Path is a template such as "/agent-executions/{id}"
// that names the operation in errors and logs; Args fill its {…} segments.
type Call struct {
	Method string
	Path   string
	Args   []string
	Query  url.Values
	Body   any // JSON-encoded; nil sends no body
}

// Op names the call: method and path template, never an id.
func (r Call) Op() string { return r.Method + " " + r.Path }

// url builds the request URL: the origin, the filled path, the query sent
// with every request and the call's own.
func (r Call) url(base *url.URL, always url.Values) (string, error) {
	path, err := FillPath(r.Op(), r.Path, r.Args)
	if err != nil {
		return "", err
	}
	q := url.Values{}
	for k, v := range always {
		q[k] = v
	}
	for k, v := range r.Query {
		q[k] = v
	}
	u := base.String() + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u, nil
}

// FillPath fills the {…} segments of template with the escaped args, in
// order. An argument that would address another endpoint is refused before
// anything is sent: an empty one, "." or ".." (which servers and proxies
// resolve as path steps) and one holding "/" (which some decode from %2F
// before routing). op names the call in the error.
func FillPath(op, template string, args []string) (string, error) {
	var b strings.Builder
	rest := template
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		end := open + strings.IndexByte(rest[open:], '}')
		name, arg := rest[open+1:end], ""
		if len(args) > 0 {
			arg, args = strings.TrimSpace(args[0]), args[1:]
		}
		switch {
		case arg == "":
			return "", &api.Error{Kind: api.KindInvalid, Op: op, Message: "missing " + name}
		case arg == "." || arg == ".." || strings.Contains(arg, "/"):
			return "", &api.Error{Kind: api.KindInvalid, Op: op, Message: "invalid " + name + `: it cannot be "." or ".." or contain "/"`}
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(arg))
		rest = rest[end+1:]
	}
}

// Do sends r and decodes a 2xx JSON body into out (nothing when out is nil).
// Every failure is an *api.Error.
func (c *Client) Do(ctx context.Context, r Call, out any) error {
	op := r.Op()
	u, err := r.url(c.base, c.cfg.Query)
	if err != nil {
		return err
	}
	var body io.Reader
	if r.Body != nil {
		data, err := json.Marshal(r.Body)
		if err != nil {
			return &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot encode the request", Err: err}
		}
		body = bytes.NewReader(data)
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, r.Method, u, body)
	if err != nil {
		return &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot build the request", Err: err}
	}
	if c.key != "" && c.cfg.Authorize != nil {
		c.cfg.Authorize(req.Header, c.key)
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "application/json")
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, err := c.httpc.Do(req)
	if err != nil {
		c.logRequest(ctx, r.Method, req.URL.Path, 0, start, err)
		return TransportError(ctx, rctx, op, err, c.cfg.Timeout)
	}
	defer resp.Body.Close()
	limit := int64(maxBody)
	if resp.StatusCode >= 300 {
		limit = maxErrorBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	c.logRequest(ctx, r.Method, req.URL.Path, resp.StatusCode, start, err)
	if err != nil {
		return TransportError(ctx, rctx, op, err, c.cfg.Timeout)
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return StatusError(op, resp, data, c.Redact)
	}
	if int64(len(data)) > limit {
		return &api.Error{Kind: api.KindDecode, Op: op, StatusCode: resp.StatusCode, Message: fmt.Sprintf("response larger than %d MiB", maxBody>>20)}
	}
	if out == nil {
		return nil
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		return &api.Error{Kind: api.KindDecode, Op: op, StatusCode: resp.StatusCode,
			Message: "the server answered with an HTML page, not the API (a login or single sign-on page?)"}
	}
	if err := json.Unmarshal(data, out); err != nil {
		msg := "the response is not the JSON expected"
		if len(bytes.TrimSpace(data)) == 0 {
			msg = "the response is empty"
		}
		return &api.Error{Kind: api.KindDecode, Op: op, StatusCode: resp.StatusCode, Message: msg, Err: err}
	}
	return nil
}

func (c *Client) logRequest(ctx context.Context, method, path string, status int, start time.Time, err error) {
	if c.cfg.Logger == nil {
		return
	}
	attrs := []slog.Attr{slog.String("method", method), slog.String("path", path),
		slog.Int("status", status), slog.Duration("duration", time.Since(start))}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, c.cfg.Platform+" request", attrs...)
}

// StatusError turns a non-2xx answer into an *api.Error, its message read
// by ErrorMessage (with redact) and a Retry-After kept for 429 and 503.
func StatusError(op string, resp *http.Response, body []byte, redact func(string) string) error {
	e := &api.Error{Kind: KindForStatus(resp.StatusCode), Op: op, StatusCode: resp.StatusCode,
		Message: ErrorMessage(string(body), resp.Header.Get("Content-Type"), redact)}
	if e.Message == "" {
		e.Message = strings.ToLower(http.StatusText(resp.StatusCode))
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.RetryAfter = RetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return e
}

// KindForStatus classifies an HTTP status.
func KindForStatus(code int) api.ErrorKind {
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

var htmlTags = regexp.MustCompile(`(?s)<(script|style)\b.*?</(script|style)>|<[^>]*>`)

// ErrorMessage reads the message of an error body of any shape — top-level
// {"message"}, nested {"error":{"message"}}, {"error":"…"}, a JSON string,
// text or HTML — as one line of at most 300 runes. redact removes the key,
// from the body and again from the decoded message (JSON may spell it with
// escapes), both before the cut, so that no part of it survives.
func ErrorMessage(body, contentType string, redact func(string) string) string {
	body = strings.TrimSpace(redact(body))
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
			msg = htmlTags.ReplaceAllString(msg, " ")
		}
	}
	return Clip(strings.Join(strings.Fields(redact(msg)), " "), maxMessage)
}

// Clip shortens s to at most n runes, marking a cut with an ellipsis.
func Clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// firstText returns the first of keys holding text: a string, or an object
// with a "message" of its own.
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

// RetryAfter parses a Retry-After value (seconds or an HTTP date) as a wait
// from now, at most a day; 0 when absent, unreadable or past.
func RetryAfter(v string, now time.Time) time.Duration {
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

// TransportError classifies a failure to get an answer: the caller's
// context (canceled or past its deadline), the per-request timeout (rctx,
// of timeout), a refused redirect, or a network error.
func TransportError(ctx, rctx context.Context, op string, err error, timeout time.Duration) error {
	e := &api.Error{Op: op, Err: err}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		e.Err = uerr.Err
	}
	var rerr *refusedRedirect
	var nerr net.Error
	switch {
	case errors.As(err, &rerr):
		e.Kind, e.StatusCode, e.Message = rerr.kind, rerr.status, rerr.msg
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind, e.Message, e.Err = api.KindCanceled, "the request was canceled", ctx.Err()
	case ctx.Err() != nil:
		e.Kind, e.Message, e.Err = api.KindTimeout, "the deadline passed before the server answered", ctx.Err()
	case rctx.Err() != nil:
		e.Kind, e.Message, e.Err = api.KindTimeout, fmt.Sprintf("no answer within %s", timeout), rctx.Err()
	case errors.As(err, &nerr) && nerr.Timeout():
		e.Kind = api.KindTimeout
	default:
		e.Kind = api.KindNetwork
	}
	return e
}

// Redact removes the key from text that came from the server.
func (c *Client) Redact(s string) string {
	if c.key == "" {
		return s
	}
	return strings.ReplaceAll(s, c.key, "[redacted]")
}
