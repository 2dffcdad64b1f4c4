// Package moderately is agentop's client for the Moderately AI API: agent
// executions and pipeline executions (two kinds of run), their live-tail
// steps and thoughts as a feed, agents, configuration versions and who-am-I.
//
// It follows the published OpenAPI spec (camelCase) where the vendor's
// Python SDK 0.2.7 sends other names; the one call only the SDK has, an
// agent execution's cancel, is tried and a 404/405 reported as not
// supported by the deployment. Every request carries the team id
// (?teamIds=) and Authorization: Bearer <key>, which goes only to the
// configured origin. Reference: shared/reference/other-platforms.md (a).
package moderately

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/internal/rest"
)

// DefaultBaseURL is the Moderately AI origin; paths hang directly off it.
const DefaultBaseURL = "https://api.moderately.ai"

// Kinds of run.
const (
	KindAgent    = "agent"    // agent executions
	KindPipeline = "pipeline" // pipeline executions
)

const (
	platform        = "moderately"
	defaultPageSize = 20  // the spec's default
	maxPageSize     = 100 // the spec's maximum
	currentTTL      = time.Minute
	maxKinds        = 20000 // execution ids whose kind is remembered
)

// Options configures a Client.
type Options struct {
	BaseURL       string // DefaultBaseURL when empty; a path prefix is kept
	APIKey        string // sent as Authorization: Bearer
	TeamID        string // sent as ?teamIds= on every request; required, as by the vendor's SDK
	AllowInsecure bool
	HTTPClient    *http.Client
	UserAgent     string
	Timeout       time.Duration
	Logger        *slog.Logger
}

// Client talks to one Moderately AI deployment. It is safe for concurrent
// use.
type Client struct {
	api.Unimplemented
	rc   *rest.Client
	team string

	mu       sync.Mutex
	versions map[string]versionRef // configuration version id → agent and number
	names    map[string]string     // agent id → name
	current  map[string]currentRef // agent id → its current configuration version
	kinds    map[string]string     // execution id → kind, as listed
	steps    map[string][]parsed   // execution id → its steps as last read
}

type versionRef struct {
	agentID string
	number  int
}

type currentRef struct {
	id     string
	number int
	at     time.Time
}

var (
	_ api.Backend        = (*Client)(nil)
	_ api.ReasonCanceler = (*Client)(nil)
	_ api.Hinter         = (*Client)(nil)
	_ api.Versioner      = (*Client)(nil)
)

// New returns a client for opts.
func New(opts Options) (*Client, error) {
	team := strings.TrimSpace(opts.TeamID)
	if team == "" {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "configure",
			Message: "a team id is needed: set MODERATELY_TEAM_ID, or team-id in the context"}
	}
	q := url.Values{"teamIds": {team}}
	rc, err := rest.New(rest.Config{
		Platform: platform, DefaultBaseURL: DefaultBaseURL, BaseURL: opts.BaseURL,
		AllowInsecure: opts.AllowInsecure, Key: opts.APIKey, Query: q,
		Authorize:  func(h http.Header, key string) { h.Set("Authorization", "Bearer "+key) },
		HTTPClient: opts.HTTPClient, UserAgent: opts.UserAgent, Timeout: opts.Timeout, Logger: opts.Logger,
	})
	if err != nil {
		return nil, err
	}
	return &Client{
		Unimplemented: api.Unimplemented{Name: platform},
		rc:            rc, team: team,
		versions: map[string]versionRef{}, names: map[string]string{},
		current: map[string]currentRef{}, kinds: map[string]string{}, steps: map[string][]parsed{},
	}, nil
}

// Platform returns "moderately".
func (c *Client) Platform() string { return platform }

// Capabilities: start and cancel agent executions, cancel pipeline
// executions (with an optional reason), read feeds, agents and who-am-I.
// There is no reply, pause, resume, files, profiles or pools.
func (c *Client) Capabilities() api.Capabilities {
	return api.Capabilities{
		Execute: true, Cancel: true, UserContext: true, Instructions: true, InstructionsOptional: true, Versions: true,
		CancelReason: api.Optional,
		Kinds: []api.KindCapabilities{
			{Kind: KindAgent, Label: "agent execution", Execute: true, Cancel: true},
			{Kind: KindPipeline, Label: "pipeline", Cancel: true},
		},
	}
}

// PollHints: listings serve at most 100 items a page; a feed read is two
// requests and the whole step list, so at most one a second (the vendor's
// SDK waits 2 s between polls).
func (c *Client) PollHints() api.PollHints {
	return api.PollHints{MaxPageSize: maxPageSize, MinTail: time.Second}
}

// rememberKind notes which endpoint serves execution id.
func (c *Client) rememberKind(id, kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.kinds) >= maxKinds {
		clear(c.kinds)
	}
	c.kinds[id] = kind
}

// kindOf returns the kind id was listed with, if it was.
func (c *Client) kindOf(id string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.kinds[id]
	return k, ok
}
