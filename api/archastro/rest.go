package archastro

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
)

const (
	maxBody      = 16 << 20
	maxErrorBody = 64 << 10
	maxMessage   = 300
)

// rest is the HTTP core: one base URL, the credentials, the policy.
type rest struct {
	base      string // origin plus any prefix, without /api/v1 or a trailing slash
	key, jwt  string
	userAgent string
	timeout   time.Duration
	httpc     *http.Client
	log       *slog.Logger
}

func newRest(o Options, key, jwt string) (*rest, error) {
	raw := strings.TrimSpace(o.BaseURL)
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "configure", Message: "the base URL must be an http(s) origin like " + DefaultBaseURL}
	}
	if u.User != nil {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "configure", Message: "the base URL must not contain user credentials"}
	}
	if u.Scheme == "http" && !o.AllowInsecure && !loopback(u.Hostname()) {
		return nil, &api.Error{Kind: api.KindInsecure, Op: "connect",
			Message: "refusing to send the API key over plain http to " + u.Host + " (use https, or allow insecure connections)"}
	}
	p := strings.TrimSuffix(strings.TrimRight(u.Path, "/"), wire.Prefix)
	u.Path, u.RawPath, u.RawQuery, u.Fragment = strings.TrimRight(p, "/"), "", "", ""
	r := &rest{base: u.String(), key: key, jwt: jwt, userAgent: o.UserAgent, timeout: o.Timeout, log: o.Logger}
	if r.userAgent == "" {
		r.userAgent = defaultAgent
	}
	if r.timeout <= 0 {
		r.timeout = defaultTimeout
	}
	r.httpc = redirectPolicy(o.HTTPClient, r.timeout)
	return r, nil
}

func loopback(host string) bool { return api.IsLoopbackHost(host) }

// redirectPolicy follows redirects of reads only, and only on the same host
// and scheme: the credentials never go anywhere else.
func redirectPolicy(custom *http.Client, timeout time.Duration) *http.Client {
	var hc http.Client
	if custom != nil {
		hc = *custom
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = timeout
		hc.Transport = t
	}
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0]
		switch {
		case first.Method != http.MethodGet:
			return errRedirect{api.KindInvalid, "the server redirected a " + first.Method + "; it was not followed, so the change may not have been made"}
		case req.URL.Host != first.URL.Host || req.URL.Scheme != first.URL.Scheme:
			return errRedirect{api.KindInsecure, "refused a redirect to " + req.URL.Scheme + "://" + req.URL.Host + " (the API key is only sent to the configured host)"}
		case len(via) >= 10:
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &hc
}

type errRedirect struct {
	kind api.ErrorKind
	msg  string
}

func (e errRedirect) Error() string { return e.msg }

// params is a query: scalars and arrays (sent as name[]=v repeated).
type params struct{ v url.Values }

func (p *params) set(k, v string) {
	if v = strings.TrimSpace(v); v != "" {
		if p.v == nil {
			p.v = url.Values{}
		}
		p.v.Set(k, v)
	}
}

func (p *params) list(k string, vs ...string) {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			if p.v == nil {
				p.v = url.Values{}
			}
			p.v.Add(k+"[]", v)
		}
	}
}

func (p *params) int(k string, n int) {
	if n > 0 {
		p.set(k, strconv.Itoa(n))
	}
}

// request is one call: method, path template ("/agent_sessions/{id}") with
// its args, query and JSON body.
type request struct {
	method string
	path   string
	args   []string
	query  params
	body   any
	accept string // "application/json" unless set
}

func (r request) op() string { return r.method + " " + wire.Prefix + r.path }

// url fills the template with escaped args, refusing one that would address
// another endpoint ("", ".", "..", or holding "/").
func (r request) url(base string) (string, error) {
	var b strings.Builder
	b.WriteString(base + wire.Prefix)
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
			return "", &api.Error{Kind: api.KindInvalid, Op: r.op(), Message: "missing or invalid " + name}
		}
		b.WriteString(rest[:i] + url.PathEscape(arg))
		rest = rest[j+1:]
	}
	if len(r.query.v) > 0 {
		b.WriteString("?" + r.query.v.Encode())
	}
	return b.String(), nil
}

// send performs r and returns the response for the caller to read (the
// stream), or an *api.Error for a failure or a non-2xx status.
func (c *rest) send(ctx context.Context, r request) (*http.Response, error) {
	op := r.op()
	u, err := r.url(c.base)
	if err != nil {
		return nil, err
	}
	var body io.Reader
	if r.body != nil {
		data, err := json.Marshal(r.body)
		if err != nil {
			return nil, &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot encode the request", Err: err}
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot build the request", Err: err}
	}
	if c.key != "" {
		req.Header.Set(wire.APIKeyHeader, c.key)
	}
	if c.jwt != "" {
		req.Header.Set("Authorization", "Bearer "+c.jwt)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", cmpOr(r.accept, "application/json"))
	if r.accept == "" {
		req.Header.Set("Content-Type", "application/json") // as the SDK, on reads too
	}
	start := time.Now()
	resp, err := c.httpc.Do(req)
	c.logRequest(ctx, r.method, req.URL.Path, resp, start, err)
	if err != nil {
		return nil, c.transportError(ctx, op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return nil, c.statusError(op, resp, data)
	}
	return resp, nil
}

// do performs r within the per-request timeout and decodes the JSON body
// into out (nothing when out is nil).
func (c *rest) do(ctx context.Context, r request, out any) error {
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.send(rctx, r)
	if err != nil {
		if api.KindOf(err) == api.KindTimeout && ctx.Err() == nil {
			err.(*api.Error).Message = fmt.Sprintf("no answer within %s", c.timeout)
		}
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return c.transportError(ctx, r.op(), err)
	}
	if len(data) > maxBody {
		return &api.Error{Kind: api.KindDecode, Op: r.op(), StatusCode: resp.StatusCode, Message: "response too large"}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &api.Error{Kind: api.KindDecode, Op: r.op(), StatusCode: resp.StatusCode, Message: "the response is not the JSON expected", Err: err}
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (c *rest) logRequest(ctx context.Context, method, path string, resp *http.Response, start time.Time, err error) {
	if c.log == nil {
		return
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	attrs := []slog.Attr{slog.String("method", method), slog.String("path", path), slog.Int("status", status), slog.Duration("duration", time.Since(start))}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.redact(err.Error())))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "archastro request", attrs...)
}

// statusError maps a non-2xx answer, in either error shape, to *api.Error.
func (c *rest) statusError(op string, resp *http.Response, body []byte) error {
	code, msg := errorBody(body)
	e := &api.Error{Kind: kindFor(resp.StatusCode, code), Op: op, StatusCode: resp.StatusCode, Message: clip(oneLine(c.redact(msg)))}
	if e.Message == "" {
		e.Message = strings.ToLower(http.StatusText(resp.StatusCode))
	}
	if code != "" && !strings.Contains(e.Message, code) {
		e.Message = clip(oneLine(c.redact(code))) + ": " + e.Message
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s > 0 {
			e.RetryAfter = time.Duration(min(s, 86400)) * time.Second
		}
	}
	return e
}

// errorBody reads {"error":{"code"|"type","message","fields"}} or
// {"error":"code","message":"…"}; anything else is its own message.
func errorBody(body []byte) (code, msg string) {
	body = bytes.TrimSpace(body)
	var nested wire.NestedError
	if json.Unmarshal(body, &nested) == nil && (nested.Error.Message != "" || nested.Error.Code != "" || nested.Error.Type != "") {
		msg = nested.Error.Message
		var fs []string
		for _, f := range nested.Error.Fields {
			fs = append(fs, f.Field+": "+f.Message)
		}
		if len(fs) > 0 {
			msg += " (" + strings.Join(fs, ", ") + ")"
		}
		return cmpOr(nested.Error.Code, nested.Error.Type), msg
	}
	var flat wire.FlatError
	if json.Unmarshal(body, &flat) == nil && (flat.Error != "" || flat.Message != "") {
		return flat.Error, cmpOr(flat.Message, flat.Error)
	}
	if len(body) > 0 && body[0] == '<' {
		return "", "the server answered with an HTML page, not the API"
	}
	return "", string(body)
}

// kindFor classifies a status, refined by the platform's error code.
func kindFor(status int, code string) api.ErrorKind {
	switch status {
	case 400, 409, 422:
		return api.KindInvalid
	case 401:
		return api.KindUnauthorized
	case 403:
		return api.KindForbidden
	case 404, 410:
		return api.KindNotFound
	case 408, 504:
		return api.KindTimeout
	case 429:
		return api.KindRateLimited
	}
	switch strings.ToLower(code) {
	case "not_found":
		return api.KindNotFound
	case "unauthorized", "unauthenticated", "invalid_api_key":
		return api.KindUnauthorized
	}
	if status >= 500 {
		return api.KindServer
	}
	return api.KindUnknown
}

func (c *rest) transportError(ctx context.Context, op string, err error) error {
	e := &api.Error{Op: op, Err: err}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		e.Err = uerr.Err
	}
	var rerr errRedirect
	var nerr net.Error
	switch {
	case errors.As(err, &rerr):
		e.Kind, e.Message = rerr.kind, rerr.msg
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind, e.Message = api.KindCanceled, "the request was canceled"
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		e.Kind, e.Message = api.KindTimeout, "the deadline passed before the server answered"
	case errors.As(err, &nerr) && nerr.Timeout():
		e.Kind = api.KindTimeout
	default:
		e.Kind = api.KindNetwork
	}
	if e.Err != nil {
		e.Err = errors.New(c.redact(e.Err.Error()))
	}
	return e
}

// redact removes the credentials from text.
func (c *rest) redact(s string) string {
	for _, secret := range []string{c.key, c.jwt} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string) string {
	r := []rune(s)
	if len(r) <= maxMessage {
		return s
	}
	return string(r[:maxMessage-1]) + "…"
}

// decodeEach decodes each item on its own, leaving out (and logging) one
// that cannot be read, so an odd item never costs the listing.
func decodeEach[W any](ctx context.Context, c *rest, op string, items []json.RawMessage) []W {
	out := make([]W, 0, len(items))
	for i, raw := range items {
		var w W
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) || json.Unmarshal(raw, &w) != nil {
			if c.log != nil {
				c.log.LogAttrs(ctx, slog.LevelWarn, "archastro: skipped an unreadable item", slog.String("op", op), slog.Int("index", i))
			}
			continue
		}
		out = append(out, w)
	}
	return out
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
