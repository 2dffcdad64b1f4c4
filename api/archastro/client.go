// Package archastro is agentop's client for the ArchAstro platform API
// (https://platform.archastro.ai, paths under /api/v1): agent sessions
// (the executions, which can wait for a human and resume on a message),
// routine runs (a second, read-only kind), their activity (the activity
// feed, the session's inbox and trajectory, the run's journal), agents and
// the caller's identity.
//
// It speaks what the official TypeScript SDK @archastro/sdk 0.19.0 sends
// (shared/reference/wire/archastro-requests.txt): the key in
// x-archastro-api-key (a sk_ secret alone, or a pk_ publishable key plus a
// JWT as Authorization: Bearer), array parameters as name[]=v repeated,
// and both error shapes the platform answers with. Like every agentop
// client it sends the credentials only to the configured host, never
// retries on its own and fails with an *api.Error that never holds them.
package archastro

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
)

// DefaultBaseURL is the ArchAstro origin; the client appends /api/v1.
const DefaultBaseURL = "https://platform.archastro.ai"

// Kinds of run.
const (
	KindSession    = "session"
	KindRoutineRun = "routine_run"
)

const (
	platformName   = "archastro"
	defaultAgent   = "agentop/dev"
	defaultTimeout = 30 * time.Second
	// GenericQuestion is the prompt of a waiting session with no question
	// text: waiting also covers waiting for an external event.
	GenericQuestion = "The session is waiting for a message or an external event; no question was found."
)

// Options configures a Client.
type Options struct {
	// BaseURL is the origin, DefaultBaseURL when empty; a trailing slash
	// or /api/v1 is stripped. A path before it is kept (a proxy prefix).
	BaseURL string
	// APIKey is a sk_ secret key, or a pk_ publishable key (which needs JWT).
	APIKey string
	// JWT is the user's access token sent with a pk_ key; secret.
	JWT string
	// AllowInsecure permits plain http:// to a host that is not loopback.
	AllowInsecure bool
	// HTTPClient is used when set (a copy, with the client's redirect policy).
	HTTPClient *http.Client
	UserAgent  string        // "agentop/dev" when empty
	Timeout    time.Duration // per request; 30s when zero
	Logger     *slog.Logger  // one debug record per request; never a key or a body
}

// Client talks to one ArchAstro deployment. It is safe for concurrent use.
type Client struct {
	api.Unimplemented
	http  *core
	names nameCache
	feeds feedCache
}

var (
	_ api.Backend = (*Client)(nil)
	_ api.Asker   = (*Client)(nil)
	_ api.Hinter  = (*Client)(nil)
	_ api.Watcher = (*Client)(nil)
)

// New returns a client for opts. It fails with KindInsecure for plain http
// to a non-loopback host (unless AllowInsecure) and KindInvalid for an
// unusable base URL, a key with control characters, or a pk_ key without
// its JWT.
func New(opts Options) (*Client, error) {
	key, jwt := strings.TrimSpace(opts.APIKey), strings.TrimSpace(opts.JWT)
	for _, s := range []string{key, jwt} {
		if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return nil, &api.Error{Kind: api.KindInvalid, Op: "configure", Message: "the API key or JWT contains control characters"}
		}
	}
	if strings.HasPrefix(key, "pk_") && jwt == "" {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "configure",
			Message: "a pk_ publishable key needs the user's JWT as well (jwt-env in the context, or $ARCHASTRO_JWT); or use a sk_ secret key"}
	}
	if !strings.HasPrefix(key, "pk_") {
		jwt = "" // a secret key is sent alone, as the SDK does
	}
	r, err := newRest(opts, key, jwt)
	if err != nil {
		return nil, err
	}
	return &Client{Unimplemented: api.Unimplemented{Name: platformName}, http: r, feeds: feedCache{ttl: feedTTL}}, nil
}

// Platform returns "archastro".
func (c *Client) Platform() string { return platformName }

// Capabilities: sessions start (from instructions), cancel and take
// messages; routine runs are read-only here (invoking one starts a
// routine, not a run an operator picks, and runs have no cancel). No
// operator pause or resume, no files, profiles or pools.
func (c *Client) Capabilities() api.Capabilities {
	return api.Capabilities{
		Execute: true, Cancel: true, Reply: true, UserContext: true, Instructions: true,
		Kinds: []api.KindCapabilities{
			{Kind: KindSession, Label: "session", Execute: true, Cancel: true, Reply: true},
			{Kind: KindRoutineRun, Label: "routine run"},
		},
	}
}

// PollHints: listings serve at most 100 items; the session list has no
// paging or total beyond that cap. A session's feed costs three requests
// (the session, its trajectory, the agent's feed), so it is read at most
// once a second.
func (c *Client) PollHints() api.PollHints {
	return api.PollHints{MaxPageSize: wire.MaxLimit, ListCap: wire.MaxLimit, MaxInFlight: 8, MinTail: time.Second}
}
