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
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/internal/rest"
)

// DefaultBaseURL is Prefactor's origin; the client appends /api/v1 itself.
const DefaultBaseURL = "https://app.prefactorai.com"

// Prefix is the path every endpoint lives under.
const Prefix = "/api/v1"

const (
	platform = "prefactor"
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
	rc       *rest.Client
	log      *slog.Logger
	maxPages int

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
	// The official client drops any path in its base URL; a trailing
	// /api/v1 is tolerated here and the prefix added per request.
	base := strings.TrimSuffix(strings.TrimRight(strings.TrimSpace(opts.BaseURL), "/"), Prefix)
	rc, err := rest.New(rest.Config{
		Platform: platform, DefaultBaseURL: DefaultBaseURL, BaseURL: base, AllowInsecure: opts.AllowInsecure,
		Key:        opts.Token,
		Authorize:  func(h http.Header, token string) { h.Set("Authorization", "Bearer "+token) },
		HTTPClient: opts.HTTPClient, UserAgent: opts.UserAgent, Timeout: opts.Timeout, Logger: opts.Logger,
	})
	if err != nil {
		return nil, err
	}
	c := &Client{
		Unimplemented: api.Unimplemented{Name: platform},
		rc:            rc,
		log:           opts.Logger,
		maxPages:      opts.MaxPagesPerAgent,
		scans:         map[string]scanMark{},
		starts:        map[string]time.Time{},
	}
	if c.maxPages <= 0 {
		c.maxPages = 5
	}
	return c, nil
}

// Platform returns "prefactor".
func (c *Client) Platform() string { return platform }

// Capabilities: Prefactor observes runs and can terminate one (with a
// reason); it cannot start, pause, resume or answer them.
func (c *Client) Capabilities() api.Capabilities {
	return api.Capabilities{Cancel: true, CancelReason: api.Required, UserContext: true, Deployments: true}
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
