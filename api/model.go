// Package api is agentop's platform-neutral model of an agent platform: agents,
// executions and their activity feeds, the questions agents ask humans, agent
// profiles and profile pools, and the Backend interface each platform client
// implements.
//
// Nothing here knows about terminals or Bubble Tea. Strings in these types come
// from the platform as sent: they are untrusted and unsanitised, and whoever
// renders them must sanitise them first.
package api

import (
	"encoding/json"
	"time"
)

// Agent is an automation that can be executed.
type Agent struct {
	ID             string
	Name           string
	Description    string // empty where the platform does not expose one
	OrganizationID string
	CreatedAt      time.Time
	// Status is the platform's lifecycle or health word for the agent
	// ("active", "dormant", "retired"); "" where it has none.
	Status string
	Raw    json.RawMessage // the object as the platform sent it
}

// Execution is one run of an agent.
type Execution struct {
	ID string
	// Context is the configured context the execution was read through; set
	// by whoever joins several contexts into one fleet (poller.Fleet), empty
	// otherwise. Clients never set it.
	Context      string
	AgentID      string
	AgentName    string
	AgentVersion int // 0 when unknown
	// Kind is the kind of run where a platform lists more than one
	// ("session", "routine_run", "pipeline"); "" for a platform's only kind.
	// Capabilities.For(Kind) tells which actions it takes.
	Kind   string
	Status Status // normalised; StatusWord shows the platform's own
	// PlatformStatus is the platform's own word for the status when it is
	// not the normalised one ("waiting", "skipped", "terminated"); "" when
	// they agree.
	PlatformStatus string
	StatusReason   string // why the status is what it is, where the platform says
	// Title names the run where the platform gives it a name of its own (a
	// session's name or instructions); "" otherwise.
	Title             string
	UpdatedAt         time.Time // last change as the platform reports it; zero when it does not
	OrganizationID    string
	WorkflowID        string
	ProfileID         string
	ProfileName       string
	ParentExecutionID string
	CreatedAt         time.Time
	TerminalAt        time.Time     // zero until terminal
	Duration          time.Duration // as reported by the platform; zero when absent
	Result            *Result       // nil until a result exists
	LiveViewURL       string
	RecordingURL      string
	Metadata          map[string]string
	Inputs            json.RawMessage
	Labels            []Label
	Comments          []Comment
	Raw               json.RawMessage // the object as the platform sent it
}

// StatusWord is the status as the platform says it: PlatformStatus where
// set, else the normalised Status.
func (e Execution) StatusWord() string {
	if e.PlatformStatus != "" {
		return e.PlatformStatus
	}
	return string(e.Status)
}

// Elapsed is how long the execution has run: the reported duration once
// terminal, else the time since creation.
func (e Execution) Elapsed(now time.Time) time.Duration {
	if e.Status.IsTerminal() {
		if e.Duration > 0 {
			return e.Duration
		}
		if !e.TerminalAt.IsZero() && !e.CreatedAt.IsZero() {
			return e.TerminalAt.Sub(e.CreatedAt)
		}
		return 0
	}
	if e.CreatedAt.IsZero() {
		return 0
	}
	if d := now.Sub(e.CreatedAt); d > 0 {
		return d
	}
	return 0
}

// Result is what an execution produced.
type Result struct {
	Outcome   string // "success", "failure", or a platform's own word
	Reasoning string
	Data      json.RawMessage // arbitrary JSON produced by the agent; may be nil
	CreatedAt time.Time
}

// Label is a human label attached to an execution.
type Label struct {
	ID    string
	Name  string
	Color string // "#RRGGBB" where the platform gives one
}

// Comment is an operator's note on an execution.
type Comment struct {
	ID        string
	UserID    string
	Content   string
	Public    bool
	CreatedAt time.Time
}

// ActivityKind names what an activity records. The known kinds are Asteroid's
// activity types; adapters map their own event kinds onto these where the
// meaning matches and keep any other kind verbatim.
type ActivityKind string

// Known activity kinds.
const (
	KindTerminal         ActivityKind = "terminal"
	KindGeneric          ActivityKind = "generic"
	KindReasoning        ActivityKind = "reasoning"
	KindStepStarted      ActivityKind = "step_started"
	KindStepCompleted    ActivityKind = "step_completed"
	KindTransitionedNode ActivityKind = "transitioned_node"
	KindStatusChanged    ActivityKind = "status_changed"
	KindActionStarted    ActivityKind = "action_started"
	KindActionCompleted  ActivityKind = "action_completed"
	KindActionFailed     ActivityKind = "action_failed"
	KindUserMessage      ActivityKind = "user_message_received"
	KindFileAdded        ActivityKind = "file_added"
	KindWorkflowUpdated  ActivityKind = "workflow_updated"
	KindScriptGenerated  ActivityKind = "playwright_script_generated"
)

// KnownActivityKinds lists every known kind.
var KnownActivityKinds = []ActivityKind{
	KindTerminal, KindGeneric, KindReasoning, KindStepStarted, KindStepCompleted,
	KindTransitionedNode, KindStatusChanged, KindActionStarted, KindActionCompleted,
	KindActionFailed, KindUserMessage, KindFileAdded, KindWorkflowUpdated, KindScriptGenerated,
}

// Actor is who an activity speaks for.
type Actor string

// Actors.
const (
	ActorAgent  Actor = "agent"  // the agent acted, reasoned or spoke
	ActorUser   Actor = "user"   // a human (an operator's message)
	ActorSystem Actor = "system" // the platform: status changes, steps, markers
)

// Activity is one entry of an execution's feed.
type Activity struct {
	ID          string
	ExecutionID string
	Time        time.Time
	Kind        ActivityKind // verbatim for kinds the adapter does not know
	Text        string       // one line of readable text (untrusted; sanitise before display)
	// Message is the platform's own text for the activity, in full and
	// possibly multi-line, whenever it carries one (an action's message, an
	// agent's message to a human, reasoning, an operator's reply). Text may be
	// a summary made up by the adapter; Message never is. Empty otherwise.
	Message    string
	Actor      Actor
	ActionName string // for action_* kinds
	Status     Status // for status_changed: the new status
	Reason     string // for status_changed: the reason given, if any
	// AgentMessage is set on the activity that carries the agent's message to
	// a human (Asteroid: an action util_send_user_message / send_user_message).
	// Text is then the message itself.
	AgentMessage bool
	// ParentID is the entry this one is nested in, where a platform's feed
	// is a tree (a span's parent span); "" at the top level.
	ParentID string
	// State is the entry's own state where entries change after they are
	// written (a span: "active", then "complete" or "failed"); "" for an
	// entry that never changes.
	State string
	// Duration is how long the entry took, once it has ended; zero when
	// open or not reported.
	Duration time.Duration
	// Updated is when an entry that changes last changed. An activity with
	// the same ID and a later Updated replaces the earlier one (see
	// Activity.Revision); zero for entries that never change.
	Updated time.Time
	Raw     json.RawMessage // the activity as the platform sent it, for a details view
}

// Revision identifies one version of an activity: its ID, and for an entry
// that changes also its Updated time and State. Two reads of an unchanged
// entry give the same revision; a changed entry gives a new one.
func (a Activity) Revision() string {
	if a.Updated.IsZero() && a.State == "" {
		return a.ID
	}
	return a.ID + "@" + a.Updated.UTC().Format(time.RFC3339Nano) + "/" + a.State
}

// InteractionRequest is an agent's question to a human: the execution is
// paused_by_agent until someone answers.
type InteractionRequest struct {
	ExecutionID string
	// Context is the configured context the question was read through; set
	// by whoever joins several contexts (poller.Fleet), empty otherwise.
	Context    string
	AgentID    string
	AgentName  string
	Question   string    // untrusted; sanitise before display
	AskedAt    time.Time // when the agent asked (the source activity's time), or when the pause was first seen
	ActivityID string    // the activity the question was read from; empty for the fallback
	Fallback   bool      // no question text was found; Question is a generic prompt
	// ReadOnly is set when the platform takes the answer somewhere else
	// than its API (an approval answered in Slack): the question is shown,
	// with no reply box, and Reply is not offered.
	ReadOnly bool
	// AnswerWhere says where to answer a ReadOnly question ("Slack"); ""
	// when the platform does not say.
	AnswerWhere string
}

// Page is one page of a paged listing.
//
// Platforms page three ways: by page number with a total (Asteroid), by an
// opaque cursor or offset (Next), or not at all under a cap (Capped). Where
// the platform gives no total, TotalUnknown is set and Total counts only the
// items seen so far.
type Page[T any] struct {
	Items        []T
	Page         int // 1-based
	PageSize     int
	Total        int
	TotalUnknown bool   // the platform does not say how many there are
	Next         string // the cursor or offset of the next page; "" when none (or paging by number)
	// Capped is set when the platform stopped at its listing cap: more
	// items may exist than it will list (narrow the query to see them).
	Capped bool
}

// HasMore reports whether pages after this one exist.
func (p Page[T]) HasMore() bool {
	if p.Next != "" {
		return len(p.Items) > 0
	}
	if p.TotalUnknown {
		return false
	}
	return p.Page*p.PageSize < p.Total && len(p.Items) > 0
}

// SortDirection orders a listing; empty means the platform's default.
type SortDirection string

// Sort directions.
const (
	SortAsc  SortDirection = "asc"
	SortDesc SortDirection = "desc"
)

// AgentQuery selects agents.
type AgentQuery struct {
	OrganizationID string
	Page           int // 1-based; 0 means 1
	PageSize       int // 0 means the client's default
	Search         string
	SortField      string // "name" | "created_at"
	SortDirection  SortDirection
	Cursor         string // Page.Next of the previous page, where the platform pages by cursor or offset
}

// ExecutionQuery selects executions. Zero fields do not filter.
type ExecutionQuery struct {
	OrganizationID string
	Page           int
	PageSize       int
	ExecutionID    string   // partial, case-insensitive match on the id
	AgentID        string   // exact
	Statuses       []Status // any of
	AgentVersion   int      // 0: any
	CreatedAfter   time.Time
	CreatedBefore  time.Time
	LabelIDs       []string // any of
	Outcome        string   // partial, case-insensitive match on the result outcome
	MetadataKey    string   // with MetadataValue
	MetadataValue  string
	SortField      string // "created_at" | "status"
	SortDirection  SortDirection
	Kind           string // one kind of run ("session"); "" for every kind
	Cursor         string // Page.Next of the previous page, where the platform pages by cursor or offset
}

// ActivityQuery selects the newest or oldest activities of an execution.
type ActivityQuery struct {
	Order SortDirection // SortDesc for "newest first"
	Limit int           // 0: the platform's default
}

// ExecuteRequest starts an execution. At most one of ProfileID and PoolID.
type ExecuteRequest struct {
	ProfileID        string
	PoolID           string
	Inputs           map[string]any
	Metadata         map[string]string
	TempFiles        []TempFile
	Version          int // 0: latest
	SharedStorageKey string
	SoftTimeoutMins  int
	// Kind is the kind of run to start where a platform has several; ""
	// for its default.
	Kind string
	// Instructions is free text telling the agent what to do, for
	// platforms that start runs from instructions (Capabilities.Instructions).
	Instructions string
	Name         string // a name for the run, where the platform takes one
}

// TempFile is a file staged for a later execute call.
type TempFile struct {
	ID   string
	Name string
}

// Upload is a local file to send.
type Upload struct {
	Name        string
	ContentType string // empty: detect
	Data        []byte
}

// File is a file attached to or produced by an execution.
type File struct {
	ID          string
	ExecutionID string
	AgentID     string
	Name        string
	Path        string
	Directory   string // "downloads", "uploads", "workspace", … where known
	MimeType    string
	Size        int64
	CreatedAt   time.Time
	URL         string // pre-signed download URL; needs no API key
}

// Profile is an agent profile: browser, proxy and credential settings an
// execution runs with. Credential and cookie values are never part of it.
type Profile struct {
	ID             string
	Name           string
	Description    string
	OrganizationID string
	ProxyCountry   string
	ProxyType      string
	CaptchaSolver  bool
	StickyIP       bool
	ExtraStealth   bool
	Credentials    []CredentialRef
	Cookies        []CookieRef
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// CredentialRef names a stored credential; its value never leaves the server
// in clear and is not kept here.
type CredentialRef struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

// CookieRef describes a stored cookie without its value.
type CookieRef struct {
	ID       string
	Name     string
	Key      string
	Domain   string
	Secure   bool
	HTTPOnly bool
	SameSite string
	Expiry   time.Time
}

// Secret is a credential to store: Value is plaintext and lives only until the
// backend encrypts it on the way out.
type Secret struct {
	Name  string
	Value string
}

// CookieInput is a cookie to store.
type CookieInput struct {
	Name     string
	Key      string
	Value    string
	Domain   string
	Secure   bool
	HTTPOnly bool
	SameSite string // "Strict" | "Lax" | "None"
	Expiry   time.Time
}

// Proxy settings a profile can choose (Asteroid's values; a platform that
// has no proxies ignores them).
var (
	ProxyCountries = []string{"us", "uk", "fr", "it", "jp", "au", "de", "fi", "ca"}
	ProxyTypes     = []string{"basic", "residential", "mobile"}
	CookieSameSite = []string{"Strict", "Lax", "None"}
)

// ProfileInput creates a profile.
type ProfileInput struct {
	Name           string
	Description    string
	OrganizationID string
	ProxyCountry   string
	ProxyType      string
	CaptchaSolver  bool
	StickyIP       bool
	ExtraStealth   bool
	Credentials    []Secret
	Cookies        []CookieInput
}

// ProfileUpdate changes a profile; nil fields are left alone.
type ProfileUpdate struct {
	Name              *string
	Description       *string
	ProxyCountry      *string
	ProxyType         *string
	CaptchaSolver     *bool
	StickyIP          *bool
	ExtraStealth      *bool
	AddCredentials    []Secret
	DeleteCredentials []string // credential ids
	AddCookies        []CookieInput
	DeleteCookies     []string // cookie ids
}

// ProfileQuery selects profiles.
type ProfileQuery struct {
	OrganizationID string
}

// ProfilePool is a set of profiles an execution can draw one from.
type ProfilePool struct {
	ID                 string
	Name               string
	OrganizationID     string
	AllowConcurrentUse bool
	SelectionStrategy  string // "least_recently_used" | "most_recently_used"
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// PoolQuery selects profile pools.
type PoolQuery struct {
	OrganizationID string
	Page           int
	PageSize       int
	Search         string
	SortField      string // "name" | "created_at" | "updated_at"
	SortDirection  SortDirection
}

// UserContext is who the credentials belong to.
type UserContext struct {
	UserID        string
	Email         string
	Organizations []Organization
	Raw           json.RawMessage
}

// Organization is one organization the user belongs to.
type Organization struct {
	ID   string
	Name string
	Role string
}
