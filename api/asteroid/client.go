// Package asteroid is agentop's client for the Asteroid Agents API: it
// implements api.Backend over HTTP against the v2 API (/agents/v2, camelCase)
// and, for agent profiles, the credentials public key and browser recordings,
// the v1 API (/api/v1, snake_case).
//
// Every call takes a context, sends the API key only to the configured host,
// never retries on its own (the poller owns backoff) and fails with an
// *api.Error whose text never contains the key. Reference:
// shared/reference/asteroid-api.md.
package asteroid

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/internal/rest"
)

// DefaultBaseURL is the Asteroid origin; the client appends /agents/v2 and
// /api/v1 itself.
const DefaultBaseURL = "https://odyssey.asteroid.ai"

const (
	platform        = "asteroid"
	defaultAgent    = "agentop/dev"
	defaultTimeout  = 30 * time.Second
	defaultPageSize = 50
	maxRedirects    = 10 // as net/http's default policy
)

// Options configures a Client.
type Options struct {
	// BaseURL is the origin, DefaultBaseURL when empty. A trailing slash or a
	// trailing /agents/v2 or /api/v1 is tolerated and stripped.
	BaseURL string
	// APIKey is sent as X-Asteroid-Agents-Api-Key on every request (no
	// header when empty). Surrounding whitespace is trimmed.
	APIKey string
	// OrganizationID is used by list calls, file staging and profile creation
	// when the query or input leaves the organization empty.
	OrganizationID string
	// AllowInsecure permits plain http:// to a host that is not loopback.
	AllowInsecure bool
	// HTTPClient is used for requests when set. The client installs its own
	// redirect policy on a copy of it; the original is not modified.
	HTTPClient *http.Client
	// UserAgent is sent as User-Agent; "agentop/dev" when empty.
	UserAgent string
	// Timeout bounds each request, body included; 30s when zero.
	Timeout time.Duration
	// Logger, when set, receives one debug record per request: method, path,
	// status and duration. Never the key, never a body.
	Logger *slog.Logger
}

// Client talks to one Asteroid deployment. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	key       string
	org       string
	userAgent string
	timeout   time.Duration
	httpc     *http.Client
	dlc       *http.Client // downloads: follows redirects anywhere, dropping the key
	insecure  bool         // plain http to a non-loopback host allowed
	log       *slog.Logger
}

var (
	_ api.Backend        = (*Client)(nil)
	_ api.PoolManager    = (*Client)(nil)
	_ api.FileDownloader = (*Client)(nil)
)

// New returns a client for opts. It fails with an *api.Error of kind
// KindInsecure for plain http to a non-loopback host (unless AllowInsecure),
// and KindInvalid for an unusable base URL or API key.
func New(opts Options) (*Client, error) {
	base, err := parseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if base.Scheme == "http" && !opts.AllowInsecure && !isLoopback(base.Hostname()) {
		return nil, &api.Error{
			Kind:    api.KindInsecure,
			Op:      "connect",
			Message: "refusing to send the API key over plain http to " + base.Host + " (use https, or allow insecure connections)",
		}
	}
	key := strings.TrimSpace(opts.APIKey)
	if strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "configure", Message: "the API key contains control characters"}
	}
	c := &Client{
		base:      base,
		key:       key,
		org:       strings.TrimSpace(opts.OrganizationID),
		userAgent: opts.UserAgent,
		timeout:   opts.Timeout,
		insecure:  opts.AllowInsecure,
		log:       opts.Logger,
	}
	if c.userAgent == "" {
		c.userAgent = defaultAgent
	}
	if c.timeout <= 0 {
		c.timeout = defaultTimeout
	}
	c.httpc = httpClient(opts.HTTPClient, c.timeout)
	c.dlc = downloadClient(c.httpc, c.base)
	return c, nil
}

// Platform returns "asteroid".
func (c *Client) Platform() string { return platform }

// Capabilities reports that Asteroid supports every operation.
func (c *Client) Capabilities() api.Capabilities {
	return api.Capabilities{
		Execute: true, Pause: true, Resume: true, Cancel: true, Reply: true,
		Files: true, UploadFiles: true, Recording: true,
		Profiles: true, ManageProfiles: true, Pools: true, ManagePools: true, Download: true, UserContext: true,
	}
}

// orgOr returns id, or the configured organization when id is empty.
func (c *Client) orgOr(id string) string {
	if id = strings.TrimSpace(id); id != "" {
		return id
	}
	return c.org
}

// parseBaseURL validates raw and strips a trailing slash or API prefix.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := rest.ParseOrigin(raw, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	p := u.Path
	for _, prefix := range []string{wire.V2Prefix, wire.V1Prefix} {
		p = strings.TrimSuffix(p, prefix)
	}
	u.Path = strings.TrimRight(p, "/")
	return u, nil
}

// isLoopback reports whether host (without port) is localhost, 127.0.0.0/8
// or ::1.
func isLoopback(host string) bool { return rest.IsLoopback(host) }

// httpClient is rest.SafeHTTPClient: redirects only for GET and HEAD, never
// to another host or down to http.
func httpClient(custom *http.Client, timeout time.Duration) *http.Client {
	return rest.SafeHTTPClient(custom, timeout)
}
