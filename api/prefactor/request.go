package prefactor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

const (
	maxBody      = 32 << 20 // largest success body read
	maxErrorBody = 64 << 10
	maxMessage   = 300 // runes of a server message kept in an error
)

// req is one API call. path is a template such as "/agent_instance/{id}"
// (it names the operation in errors and logs, never an id); args fill its
// {…} segments in order.
type req struct {
	method string
	path   string
	args   []string
	query  url.Values
	body   any
}

func (r req) op() string { return r.method + " " + Prefix + r.path }

// target builds the URL. An argument that would address another endpoint
// (empty, "." or "..", or holding "/") is refused before anything is sent.
func (r req) target(base *url.URL) (string, error) {
	var b strings.Builder
	b.WriteString(base.String())
	b.WriteString(Prefix)
	rest, args := r.path, r.args
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		j := i + strings.IndexByte(rest[i:], '}')
		name, arg := rest[i+1:j], ""
		if len(args) > 0 {
			arg, args = strings.TrimSpace(args[0]), args[1:]
		}
		if arg == "" || arg == "." || arg == ".." || strings.Contains(arg, "/") {
			return "", &api.Error{Kind: api.KindInvalid, Op: r.op(), Message: "invalid " + name + " " + strconv.Quote(arg)}
		}
		b.WriteString(rest[:i])
		b.WriteString(url.PathEscape(arg))
		rest = rest[j+1:]
	}
	if len(r.query) > 0 {
		b.WriteByte('?')
		b.WriteString(r.query.Encode())
	}
	return b.String(), nil
}

// call sends r and decodes a 2xx JSON body into out (nothing when nil).
func (c *Client) call(ctx context.Context, r req, out any) error {
	op := r.op()
	u, err := r.target(c.base)
	if err != nil {
		return err
	}
	var body io.Reader
	if r.body != nil {
		data, err := json.Marshal(r.body)
		if err != nil {
			return &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot encode the request", Err: err}
		}
		body = bytes.NewReader(data)
	}
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(rctx, r.method, u, body)
	if err != nil {
		return &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot build the request", Err: err}
	}
	if c.token != "" {
		hr.Header.Set("Authorization", "Bearer "+c.token)
	}
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.httpc.Do(hr)
	if err != nil {
		c.logCall(ctx, r.method, hr.URL.Path, 0, start)
		return c.transportFailure(ctx, rctx, op, err)
	}
	defer resp.Body.Close()
	limit := int64(maxBody)
	if resp.StatusCode >= 300 {
		limit = maxErrorBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	c.logCall(ctx, r.method, hr.URL.Path, resp.StatusCode, start)
	if err != nil {
		return c.transportFailure(ctx, rctx, op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return c.httpFailure(op, resp, data)
	}
	if int64(len(data)) > limit {
		return &api.Error{Kind: api.KindDecode, Op: op, StatusCode: resp.StatusCode, Message: "the response is too large"}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &api.Error{Kind: api.KindDecode, Op: op, StatusCode: resp.StatusCode, Message: "the response is not the JSON expected", Err: err}
	}
	return nil
}

func (c *Client) logCall(ctx context.Context, method, path string, status int, start time.Time) {
	if c.log != nil {
		c.log.LogAttrs(ctx, slog.LevelDebug, "prefactor request", slog.String("method", method),
			slog.String("path", path), slog.Int("status", status), slog.Duration("duration", time.Since(start)))
	}
}

// httpFailure reads Prefactor's error envelope {status:"error", code,
// message, errors?} (or any other body) into an *api.Error.
func (c *Client) httpFailure(op string, resp *http.Response, data []byte) error {
	e := &api.Error{Op: op, StatusCode: resp.StatusCode}
	switch code := resp.StatusCode; {
	case code == 400 || code == 409 || code == 422:
		e.Kind = api.KindInvalid
	case code == 401:
		e.Kind = api.KindUnauthorized
	case code == 403:
		e.Kind = api.KindForbidden
	case code == 404 || code == 410:
		e.Kind = api.KindNotFound
	case code == 408:
		e.Kind = api.KindTimeout
	case code == 429:
		e.Kind = api.KindRateLimited
	case code >= 500:
		e.Kind = api.KindServer
	}
	if e.Kind == api.KindRateLimited || resp.StatusCode == 503 {
		if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s > 0 {
			e.RetryAfter = time.Duration(min(s, 86400)) * time.Second
		}
	}
	var env struct {
		Code    string              `json:"code"`
		Message string              `json:"message"`
		Errors  map[string][]string `json:"errors"`
	}
	text := strings.TrimSpace(string(data))
	if json.Unmarshal(data, &env) == nil && (env.Message != "" || env.Code != "") {
		text = env.Message
		if text == "" {
			text = env.Code
		}
		for field, msgs := range env.Errors {
			text += fmt.Sprintf("; %s: %s", field, strings.Join(msgs, ", "))
		}
	} else if strings.HasPrefix(text, "<") {
		text = strings.ToLower(http.StatusText(resp.StatusCode))
	}
	if c.token != "" {
		text = strings.ReplaceAll(text, c.token, "[redacted]")
	}
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > maxMessage {
		text = string(r[:maxMessage-1]) + "…"
	}
	if text == "" {
		text = strings.ToLower(http.StatusText(resp.StatusCode))
	}
	e.Message = text
	return e
}

// transportFailure classifies a request that got no response.
func (c *Client) transportFailure(ctx, rctx context.Context, op string, err error) error {
	e := &api.Error{Op: op, Err: err, Kind: api.KindNetwork}
	var ue *url.Error
	if errors.As(err, &ue) {
		e.Err = ue.Err
	}
	var rr *refusedRedirect
	switch {
	case errors.As(err, &rr):
		e.Kind, e.Message = rr.kind, rr.msg
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind, e.Message = api.KindCanceled, "the request was canceled"
	case ctx.Err() != nil:
		e.Kind, e.Message = api.KindTimeout, "the deadline passed before the server answered"
	case rctx.Err() != nil:
		e.Kind, e.Message = api.KindTimeout, fmt.Sprintf("no answer within %s", c.timeout)
	}
	return e
}
