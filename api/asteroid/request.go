package asteroid

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/internal/rest"
)

const (
	maxBodySize  = 16 << 20 // largest success body read
	maxErrorBody = 64 << 10 // largest error body read
)

// call is one API request. Every endpoint goes through Client.do.
type call struct {
	method string
	v1     bool     // under /api/v1 instead of /agents/v2
	path   string   // template such as "/executions/{id}"; names the operation in errors
	args   []string // values for the template's {…} segments, in order
	query  url.Values
	body   any // JSON-encoded, unless it is a payload
}

// payload is a request body sent as is.
type payload struct {
	contentType string
	data        []byte
}

// op names the call for errors and logs: method and path template, never ids.
func (r call) op() string {
	if r.v1 {
		return r.method + " " + wire.V1Prefix + r.path
	}
	return r.method + " " + r.path
}

// url builds the request URL, filling the template with the escaped args. An
// arg that would address a different endpoint is refused before anything is
// sent: an empty one, "." or ".." (which servers and proxies resolve as path
// steps) and one holding "/" (which some decode from %2F before routing).
func (r call) url(base *url.URL) (string, error) {
	prefix := wire.V2Prefix
	if r.v1 {
		prefix = wire.V1Prefix
	}
	path, err := rest.FillPath(r.op(), r.path, r.args)
	if err != nil {
		return "", err
	}
	u := base.String() + prefix + path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	return u, nil
}

// do sends r and decodes a 2xx body into out: nothing when out is nil, the
// text of a bare-string body when out is a *string, JSON otherwise. Any
// failure is an *api.Error.
func (c *Client) do(ctx context.Context, r call, out any) error {
	op := r.op()
	u, err := r.url(c.base)
	if err != nil {
		return err
	}
	body, contentType, err := encodeBody(r.body)
	if err != nil {
		return &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot encode the request", Err: err}
	}

	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, r.method, u, body)
	if err != nil {
		return &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot build the request", Err: err}
	}
	if c.key != "" {
		req.Header.Set(wire.APIKeyHeader, c.key)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}

	start := time.Now()
	resp, err := c.httpc.Do(req)
	if err != nil {
		c.logRequest(ctx, r.method, req.URL.Path, 0, start, err)
		return c.transportError(ctx, rctx, op, err)
	}
	defer resp.Body.Close()

	limit := int64(maxBodySize)
	if resp.StatusCode >= 300 {
		limit = maxErrorBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	c.logRequest(ctx, r.method, req.URL.Path, resp.StatusCode, start, err)
	if err != nil {
		return c.transportError(ctx, rctx, op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return c.statusError(op, resp, data)
	}
	if int64(len(data)) > limit {
		return &api.Error{Kind: api.KindDecode, Op: op, StatusCode: resp.StatusCode, Message: fmt.Sprintf("response larger than %d MiB", maxBodySize>>20)}
	}
	return decodeBody(op, resp.StatusCode, resp.Header.Get("Content-Type"), data, out)
}

// encodeBody returns the request body and its content type.
func encodeBody(v any) (io.Reader, string, error) {
	switch b := v.(type) {
	case nil:
		return nil, "", nil
	case payload:
		return bytes.NewReader(b.data), b.contentType, nil
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, "", err
		}
		return bytes.NewReader(data), "application/json", nil
	}
}

// decodeBody reads a success body into out. A call that reads no JSON (out
// is nil or a *string) refuses an HTML page: that is a login or single
// sign-on page in front of the API, not its answer.
func decodeBody(op string, status int, contentType string, data []byte, out any) error {
	if s, bare := out.(*string); out == nil || bare {
		if mt, _, _ := mime.ParseMediaType(contentType); mt == "text/html" {
			return &api.Error{Kind: api.KindDecode, Op: op, StatusCode: status,
				Message: "the server answered with an HTML page, not the API (a login or single sign-on page?)"}
		}
		if bare {
			*s = bareString(data)
		}
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		msg := "the response is not the JSON expected"
		if len(bytes.TrimSpace(data)) == 0 {
			msg = "the response is empty"
		}
		return &api.Error{Kind: api.KindDecode, Op: op, StatusCode: status, Message: msg, Err: err}
	}
	return nil
}

// bareString returns the text of a body that is a JSON string literal or
// plain text.
func bareString(data []byte) string {
	data = bytes.TrimSpace(data)
	var s string
	if len(data) > 0 && data[0] == '"' && json.Unmarshal(data, &s) == nil {
		return strings.TrimSpace(s)
	}
	return string(data)
}

// logRequest writes the debug record of one request.
func (c *Client) logRequest(ctx context.Context, method, path string, status int, start time.Time, err error) {
	if c.log == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", method),
		slog.String("path", path),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "asteroid request", attrs...)
}

// withRaw decodes a T and keeps the JSON it came from, for the neutral
// model's Raw fields.
type withRaw[T any] struct {
	v   T
	raw json.RawMessage
}

// UnmarshalJSON implements json.Unmarshaler.
func (w *withRaw[T]) UnmarshalJSON(b []byte) error {
	w.raw = append(json.RawMessage(nil), b...)
	return json.Unmarshal(b, &w.v)
}

// listPage fetches a v2 paged listing and converts its items.
func listPage[W, T any](ctx context.Context, c *Client, r call, conv func(W, json.RawMessage) T) (api.Page[T], error) {
	var p wire.Page[json.RawMessage]
	if err := c.do(ctx, r, &p); err != nil {
		return api.Page[T]{}, err
	}
	out := api.Page[T]{Items: decodeItems(ctx, c, r.op(), p.Items, conv), Page: int(p.Page), PageSize: int(p.PageSize), Total: int(p.Total)}
	if out.Page == 0 {
		out.Page, _ = strconv.Atoi(r.query.Get("page"))
	}
	if out.PageSize == 0 {
		out.PageSize, _ = strconv.Atoi(r.query.Get("pageSize"))
	}
	return out, nil
}

// decodeItems decodes each item of a listing on its own and converts it. The
// wire types read odd scalars tolerantly; an item that still cannot be read
// (or is null) is left out and logged, so it never costs the rest of the
// listing.
func decodeItems[W, T any](ctx context.Context, c *Client, op string, items []json.RawMessage, conv func(W, json.RawMessage) T) []T {
	out := make([]T, 0, len(items))
	for i, raw := range items {
		var w W
		err := json.Unmarshal(raw, &w)
		if err == nil && bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			err = errors.New("the item is null")
		}
		if err != nil {
			c.logSkipped(ctx, op, i, err)
			continue
		}
		out = append(out, conv(w, raw))
	}
	return out
}

// logSkipped records an item decodeItems left out.
func (c *Client) logSkipped(ctx context.Context, op string, index int, err error) {
	if c.log == nil {
		return
	}
	c.log.LogAttrs(ctx, slog.LevelWarn, "asteroid: skipped an unreadable item",
		slog.String("op", op), slog.Int("index", index), slog.String("error", err.Error()))
}

// pageQuery starts the query of a paged v2 listing: page and pageSize are
// always sent (the API requires them), the organization when known.
func pageQuery(org string, page, size int) url.Values {
	if page <= 0 {
		page = 1
	}
	if size <= 0 {
		size = defaultPageSize
	}
	q := url.Values{"page": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(size)}}
	setIf(q, "organizationId", org)
	return q
}

// setIf sets key to v unless v is empty.
func setIf(q url.Values, key, v string) {
	if v = strings.TrimSpace(v); v != "" {
		q.Set(key, v)
	}
}
