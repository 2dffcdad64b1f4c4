package archastro

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
	"github.com/agentop/agentop/api/internal/rest"
)

const (
	maxBody      = 16 << 20
	maxErrorBody = 64 << 10
	maxMessage   = 300
)

// core is the HTTP side of the client: one base URL, the credentials, the
// policy. The origin checks, the redirect policy and the error plumbing are
// the shared ones of api/internal/rest; what is ArchAstro's own is two
// credentials, both error shapes and the event stream.
type core struct {
	base      string // origin plus any prefix, without /api/v1 or a trailing slash
	key, jwt  string
	userAgent string
	timeout   time.Duration
	httpc     *http.Client
	log       *slog.Logger
}

func newRest(o Options, key, jwt string) (*core, error) {
	u, err := rest.ParseOrigin(o.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "http" && !o.AllowInsecure && !rest.IsLoopback(u.Hostname()) {
		return nil, &api.Error{Kind: api.KindInsecure, Op: "connect",
			Message: "refusing to send the API key over plain http to " + u.Host + " (use https, or allow insecure connections)"}
	}
	u.Path = strings.TrimRight(strings.TrimSuffix(u.Path, wire.Prefix), "/")
	r := &core{base: u.String(), key: key, jwt: jwt, userAgent: o.UserAgent, timeout: o.Timeout, log: o.Logger}
	if r.userAgent == "" {
		r.userAgent = defaultAgent
	}
	if r.timeout <= 0 {
		r.timeout = defaultTimeout
	}
	r.httpc = rest.SafeHTTPClient(o.HTTPClient, r.timeout)
	return r, nil
}

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

// url fills the template with escaped args (api.FillPath).
func (r request) url(base string) (string, error) {
	path, err := rest.FillPath(r.op(), r.path, r.args)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(base + wire.Prefix + path)
	if len(r.query.v) > 0 {
		b.WriteString("?" + r.query.v.Encode())
	}
	return b.String(), nil
}

// send performs r under ctx (the request's own context, within parent) and
// returns the response for the caller to read (the stream), or an
// *api.Error for a failure or a non-2xx status.
func (c *core) send(parent, ctx context.Context, r request) (*http.Response, error) {
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
		return nil, rest.TransportError(parent, ctx, op, err, c.timeout)
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
func (c *core) do(ctx context.Context, r request, out any) error {
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.send(ctx, rctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return rest.TransportError(ctx, rctx, r.op(), err, c.timeout)
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

func (c *core) logRequest(ctx context.Context, method, path string, resp *http.Response, start time.Time, err error) {
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
func (c *core) statusError(op string, resp *http.Response, body []byte) error {
	code, msg := errorBody(body)
	e := &api.Error{Kind: kindFor(resp.StatusCode, code), Op: op, StatusCode: resp.StatusCode, Message: rest.Clip(oneLine(c.redact(msg)), maxMessage)}
	if e.Message == "" {
		e.Message = strings.ToLower(http.StatusText(resp.StatusCode))
	}
	if code != "" && !strings.Contains(e.Message, code) {
		e.Message = rest.Clip(oneLine(c.redact(code))+": "+e.Message, maxMessage)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.RetryAfter = rest.RetryAfter(resp.Header.Get("Retry-After"), time.Now())
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

// kindFor classifies a status (as every client does), refined by the
// platform's error code where the status says little.
func kindFor(status int, code string) api.ErrorKind {
	if k := rest.KindForStatus(status); k != api.KindUnknown && k != api.KindServer {
		return k
	}
	switch strings.ToLower(code) {
	case "not_found":
		return api.KindNotFound
	case "unauthorized", "unauthenticated", "invalid_api_key":
		return api.KindUnauthorized
	}
	return rest.KindForStatus(status)
}

// redact removes the credentials from text.
func (c *core) redact(s string) string {
	for _, secret := range []string{c.key, c.jwt} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// decodeEach decodes each item on its own, leaving out (and logging) one
// that cannot be read, so an odd item never costs the listing.
func decodeEach[W any](ctx context.Context, c *core, op string, items []json.RawMessage) []W {
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
