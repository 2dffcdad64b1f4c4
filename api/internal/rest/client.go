// Package rest is the JSON-over-HTTP core a platform client is built on: it
// checks the origin (no plain http to a host that is not loopback unless
// allowed, no user info), sends the key only to that origin (redirects of
// changes and to other hosts refused), bounds every request and body, and
// turns every failure into an *api.Error whose text never holds the key.
//
// A platform's client adds its authentication header, the query parameters
// it sends on every request and its endpoints; it never retries on its own
// (the poller owns backoff).
package rest

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

// Defaults.
const (
	DefaultTimeout = 30 * time.Second
	maxRedirects   = 10
)

// Config sets up a Client.
type Config struct {
	Platform       string // short name, for log records
	DefaultBaseURL string // the origin used when BaseURL is empty
	// BaseURL is the origin, with an optional path prefix that is kept
	// (a trailing slash is dropped).
	BaseURL       string
	AllowInsecure bool // plain http to a host that is not loopback
	// Key is the credential Authorize sends; it is refused when it holds
	// control characters and redacted from every server message.
	Key string
	// Authorize sets the authentication headers of a request (only called
	// when Key is not empty).
	Authorize func(h http.Header, key string)
	// Query is sent with every request (a team id …).
	Query      url.Values
	HTTPClient *http.Client // a copy of it is used, with the redirect policy installed
	UserAgent  string
	Timeout    time.Duration // each request, body included; DefaultTimeout when 0
	Logger     *slog.Logger  // one debug record per request; never a key or a body
}

// Client sends requests to one origin. It is safe for concurrent use.
type Client struct {
	cfg   Config
	base  *url.URL
	key   string
	httpc *http.Client
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	base, err := ParseOrigin(cfg.BaseURL, cfg.DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	if base.Scheme == "http" && !cfg.AllowInsecure && !IsLoopback(base.Hostname()) {
		return nil, &api.Error{Kind: api.KindInsecure, Op: "connect",
			Message: "refusing to send the API key over plain http to " + base.Host + " (use https, or allow insecure connections)"}
	}
	key := strings.TrimSpace(cfg.Key)
	if strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "configure", Message: "the API key contains control characters"}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "agentop/dev"
	}
	return &Client{cfg: cfg, base: base, key: key, httpc: SafeHTTPClient(cfg.HTTPClient, cfg.Timeout)}, nil
}

// Base returns the origin requests go to.
func (c *Client) Base() *url.URL { u := *c.base; return &u }

// ParseOrigin validates raw (def when empty): an http(s) URL with a host and
// no user info. A path prefix is kept without its trailing slash; query and
// fragment are dropped.
func ParseOrigin(raw, def string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = def
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "configure", Message: "the base URL must be an http(s) origin like " + def}
	}
	if u.User != nil {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "configure", Message: "the base URL must not contain user credentials"}
	}
	u.Path, u.RawPath, u.RawQuery, u.Fragment = strings.TrimRight(u.Path, "/"), "", "", ""
	return u, nil
}

// IsLoopback reports whether host (without port) is localhost, 127.0.0.0/8
// or ::1.
func IsLoopback(host string) bool { return api.IsLoopbackHost(host) }

// SafeHTTPClient returns the client requests go through: a copy of custom,
// or one with dial, TLS and response-header timeouts. It follows redirects
// only for GET and HEAD (a redirected POST would silently become a GET) and
// never to another host or down to http, where they would carry the key.
func SafeHTTPClient(custom *http.Client, timeout time.Duration) *http.Client {
	var hc http.Client
	if custom != nil {
		hc = *custom
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		t.TLSHandshakeTimeout = 10 * time.Second
		t.ResponseHeaderTimeout = timeout
		hc.Transport = t
	}
	next := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0]
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		if first.Method != http.MethodGet && first.Method != http.MethodHead {
			return &refusedRedirect{kind: api.KindInvalid, status: status, msg: "the server redirected this " + first.Method +
				" request; it was not followed, so the change may not have been made (is the base URL right?)"}
		}
		if req.URL.Host != first.URL.Host || (first.URL.Scheme == "https" && req.URL.Scheme != "https") {
			return &refusedRedirect{kind: api.KindInsecure, status: status, msg: "refused a redirect to " +
				req.URL.Scheme + "://" + req.URL.Host + " (the API key is only sent to the configured host)"}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
	return &hc
}

// refusedRedirect is a redirect the client would not follow.
type refusedRedirect struct {
	kind   api.ErrorKind
	status int
	msg    string
}

func (e *refusedRedirect) Error() string { return e.msg }
