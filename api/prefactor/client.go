// Package prefactor is agentop's client for Prefactor
// (https://app.prefactorai.com), an observability and governance platform
// for agents that run elsewhere: an instrumented agent registers an agent
// instance (one run) and writes spans; an operator reads instances across
// agents, reads each one's span tree and may terminate a run.
//
// It implements api.Backend over HTTP under /api/v1 with a bearer token.
// Prefactor cannot start, pause, resume or answer a run, so those calls
// return api.Unsupported (api.Unimplemented). Human approvals happen in
// Slack: an open hitl:human-approval span becomes a read-only question
// (api.Asker). Terminating takes a reason (api.ReasonCanceler).
//
// Every call takes a context, sends the token only to the configured host,
// never retries on its own (the poller owns backoff) and fails with an
// *api.Error whose text never contains the token. References:
// shared/reference/platforms-scoping.md §2c, other-platforms.md (c),
// wire/prefactor-requests.txt.
package prefactor

import (
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
)

// DefaultBaseURL is Prefactor's origin; the client appends /api/v1 itself.
const DefaultBaseURL = "https://app.prefactorai.com"

// Prefix is the path every endpoint lives under.
const Prefix = "/api/v1"

const (
	platform       = "prefactor"
	defaultAgent   = "agentop/dev"
	defaultTimeout = 30 * time.Second
	// maxPageSize is the largest page the API serves (pagination[page_size] 1–100).
	maxPageSize = 100
	// maxInFlight is about how many requests the platform takes at once
	// before they time out (the vendor dashboard's finding).
	maxInFlight = 6
)

// Options configures a Client.
type Options struct {
	// BaseURL is the origin, DefaultBaseURL when empty. A trailing slash or
	// a trailing /api/v1 is tolerated and stripped.
	BaseURL string
	// Token is sent as "Authorization: Bearer <token>". Reading needs an
	// admin or session API token; an agent's pf_… ingestion key only writes.
	Token string
	// AllowInsecure permits plain http:// to a host that is not loopback.
	AllowInsecure bool
	// HTTPClient is used for requests when set (a copy gets the client's
	// redirect policy).
	HTTPClient *http.Client
	UserAgent  string        // "agentop/dev" when empty
	Timeout    time.Duration // of each request, body included; 30s when zero
	// MaxPagesPerAgent bounds how many instance pages one listing reads per
	// agent before it says the picture is partial; 5 when zero.
	MaxPagesPerAgent int
	// Logger receives one debug record per request (method, path, status,
	// duration); never the token, never a body.
	Logger *slog.Logger
}

// Client talks to one Prefactor deployment. It is safe for concurrent use.
type Client struct {
	api.Unimplemented
	base      *url.URL
	token     string
	userAgent string
	timeout   time.Duration
	httpc     *http.Client
	log       *slog.Logger
	maxPages  int

	mu     sync.Mutex
	agents agentCache
	scans  map[string]scanMark // per agent: what the last complete scan of its instances found
	starts map[string]time.Time
}

var (
	_ api.Backend        = (*Client)(nil)
	_ api.Asker          = (*Client)(nil)
	_ api.ReasonCanceler = (*Client)(nil)
	_ api.Hinter         = (*Client)(nil)
)

// New returns a client for opts. It fails with an *api.Error of kind
// KindInsecure for plain http to a non-loopback host (unless AllowInsecure)
// and KindInvalid for an unusable base URL or token.
func New(opts Options) (*Client, error) {
	base, err := parseBase(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if base.Scheme == "http" && !opts.AllowInsecure && !loopback(base.Hostname()) {
		return nil, &api.Error{Kind: api.KindInsecure, Op: "connect",
			Message: "refusing to send the token over plain http to " + base.Host + " (use https, or allow insecure connections)"}
	}
	token := strings.TrimSpace(opts.Token)
	if strings.ContainsFunc(token, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "configure", Message: "the token contains control characters"}
	}
	c := &Client{
		Unimplemented: api.Unimplemented{Name: platform},
		base:          base,
		token:         token,
		userAgent:     opts.UserAgent,
		timeout:       opts.Timeout,
		log:           opts.Logger,
		maxPages:      opts.MaxPagesPerAgent,
		scans:         map[string]scanMark{},
		starts:        map[string]time.Time{},
	}
	if c.userAgent == "" {
		c.userAgent = defaultAgent
	}
	if c.timeout <= 0 {
		c.timeout = defaultTimeout
	}
	if c.maxPages <= 0 {
		c.maxPages = 5
	}
	c.httpc = sameHostClient(opts.HTTPClient, c.timeout)
	return c, nil
}

// Platform returns "prefactor".
func (c *Client) Platform() string { return platform }

// Capabilities: Prefactor observes runs and can terminate one (with a
// reason); it cannot start, pause, resume or answer them.
func (c *Client) Capabilities() api.Capabilities {
	return api.Capabilities{Cancel: true, CancelReason: api.Required, UserContext: true}
}

// PollHints are the platform's limits: about 6 requests in flight, pages
// of at most 100 that take seconds, and a vendor dashboard that polls every
// 15 s.
func (c *Client) PollHints() api.PollHints {
	return api.PollHints{
		MinSweep:    10 * time.Second,
		MinTail:     5 * time.Second,
		MaxPageSize: maxPageSize,
		MaxInFlight: maxInFlight,
	}
}

// parseBase validates raw and strips a trailing slash or /api/v1.
func parseBase(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
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
	p := strings.TrimSuffix(strings.TrimRight(u.Path, "/"), Prefix)
	u.Path, u.RawPath, u.RawQuery, u.Fragment = strings.TrimRight(p, "/"), "", "", ""
	return u, nil
}

// loopback reports whether host is localhost or a loopback address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameHostClient returns the HTTP client requests go through. It follows a
// redirect only for a GET, only to the same host and never from https down
// to http: the token must not go anywhere else, and a redirected POST would
// silently not terminate anything.
func sameHostClient(custom *http.Client, timeout time.Duration) *http.Client {
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
			return &refusedRedirect{api.KindInvalid, "the server redirected a " + first.Method + "; it was not followed, so nothing changed (is the base URL right?)"}
		case req.URL.Host != first.URL.Host || (first.URL.Scheme == "https" && req.URL.Scheme != "https"):
			return &refusedRedirect{api.KindInsecure, "refused a redirect to " + req.URL.Scheme + "://" + req.URL.Host + " (the token goes only to the configured host)"}
		case len(via) >= 10:
			return &refusedRedirect{api.KindNetwork, "too many redirects"}
		}
		return nil
	}
	return &hc
}

type refusedRedirect struct {
	kind api.ErrorKind
	msg  string
}

func (e *refusedRedirect) Error() string { return e.msg }
