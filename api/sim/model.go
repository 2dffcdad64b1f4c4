package sim

import (
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/agentop/agentop/api"
)

// Organization is the simulated organization; there is one.
type Organization struct {
	ID   string
	Name string
}

// User is the simulated user the API key belongs to.
type User struct {
	ID    string
	Email string
	Role  string // role in the organization
}

// Agent is an automation of the simulated fleet.
type Agent struct {
	ID             string
	Name           string
	Description    string
	OrganizationID string
	UserID         string // who created it
	CreatedAt      time.Time
	Version        int // current version
	WorkflowID     string
}

// Execution is one run of an agent.
type Execution struct {
	ID                string
	AgentID           string
	AgentName         string
	AgentVersion      int
	AgentVersionDirty bool
	WorkflowID        string
	OrganizationID    string
	Status            api.Status
	StatusReason      string // why the latest status change happened, if a reason was given
	CreatedAt         time.Time
	UpdatedAt         time.Time // the latest status change
	TerminalAt        time.Time // zero until terminal
	Result            *Result   // nil until the execution ends (cancelled ones have none)
	ProfileID         string
	ProfileName       string
	Metadata          map[string]string
	Inputs            map[string]any
	Options           ExecutionOptions
	Trigger           string // "api" (execute) or "schedule" (started on its own)
	Labels            []Label
	Comments          []Comment
	LiveViewURL       string // while a browser session is active
	RecordingURL      string // once terminal, if a browser session was used
	Files             []File
}

// Duration is how long a terminal execution ran; zero before.
func (x Execution) Duration() time.Duration {
	if x.TerminalAt.IsZero() {
		return 0
	}
	return x.TerminalAt.Sub(x.CreatedAt)
}

// ContextFiles are the files a user gave the execution (staged at execute or
// uploaded while it ran).
func (x Execution) ContextFiles() []File {
	return slices.DeleteFunc(slices.Clone(x.Files), func(f File) bool { return f.Source != SourceUpload })
}

func (x Execution) clone() Execution {
	x.Metadata = maps.Clone(x.Metadata)
	x.Inputs = maps.Clone(x.Inputs)
	x.Labels = slices.Clone(x.Labels)
	x.Comments = slices.Clone(x.Comments)
	x.Files = slices.Clone(x.Files)
	if x.Result != nil {
		r := *x.Result
		x.Result = &r
	}
	return x
}

// ExecutionOptions are per-run overrides given at execute.
type ExecutionOptions struct {
	SharedStorageKey string
	SoftTimeoutMins  int
}

// Result is what an execution produced.
type Result struct {
	ID        string
	Outcome   string // "success" or "failure"
	Reasoning string
	Data      json.RawMessage // JSON; may be "null"
	CreatedAt time.Time
}

// Label is a human label.
type Label struct {
	ID        string
	Name      string
	Color     string
	CreatedAt time.Time
}

// Comment is an operator's note on an execution.
type Comment struct {
	ID        string
	UserID    string
	Content   string
	Public    bool
	CreatedAt time.Time
}

// File sources.
const (
	SourceUpload   = "upload"   // a user gave it (context file)
	SourceDownload = "download" // the agent downloaded it
)

// File is a file of an execution.
type File struct {
	ID          string
	ExecutionID string
	AgentID     string
	Name        string
	Path        string // e.g. /home/agent/downloads/INV-2025-0142.pdf
	Directory   string // uploads | downloads | workspace
	MimeType    string
	Size        int64
	Source      string // SourceUpload | SourceDownload
	CreatedAt   time.Time
	URL         string // fake pre-signed download URL
}

// Activity is one entry of an execution's feed. Kind says which of the
// optional parts are set.
type Activity struct {
	ID          string
	ExecutionID string
	Time        time.Time
	Kind        api.ActivityKind
	Message     string // action_*, generic, user_message_received
	Reasoning   string // reasoning
	Step        int    // step_started, step_completed
	UserID      string // user_message_received: who sent it

	Action  *Action          // action_started, action_completed, action_failed
	Change  *StatusChange    // status_changed
	Node    *NodeTransition  // transitioned_node
	File    *File            // file_added
	Updates []WorkflowUpdate // workflow_updated
	Script  *GeneratedScript // playwright_script_generated
}

// Action is the action an action_* activity is about.
type Action struct {
	Name     string         // PY-Dec25 action name: nav_to, element_click, …
	ID       string         // shared by an action's started and completed/failed
	Duration time.Duration  // completed and failed only
	Detail   map[string]any // optional detail (url, pageTitle, fileNames …); read-only
}

// StatusChange is the new status of a status_changed activity.
type StatusChange struct {
	Status api.Status
	From   api.Status // the status it left
	// Reason: why (paused, paused_by_agent, awaiting_confirmation, failed),
	// or for cancelled one of timeout | max_steps | user_requested.
	Reason         string
	OSError        string  // failed: the low-level error, if any
	Result         *Result // completed: the result
	LessonsLearned string  // completed: what the agent noted for next time
}

// NodeTransition is a move to another workflow node.
type NodeTransition struct {
	NodeID         string
	NodeName       string
	NodeType       string // ai_task | playwright_script | output
	FromDuration   time.Duration
	TransitionType string // iris | selector | outcome_success
}

// WorkflowUpdate is one live edit of the agent's workflow.
type WorkflowUpdate struct {
	UpdateType     string // add | edit | delete
	NodeID         string
	NodeName       string
	NodeType       string
	TransitionID   string
	TransitionType string
	Rules          string
}

// GeneratedScript is a Playwright script the agent wrote for a node.
type GeneratedScript struct {
	NodeID   string
	NodeName string
	Script   string
	Context  string
}

// Profile is an agent profile. Credential values are ciphertext only.
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
	Credentials    []Credential
	Cookies        []Cookie
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (p Profile) clone() Profile {
	p.Credentials = slices.Clone(p.Credentials)
	p.Cookies = slices.Clone(p.Cookies)
	return p
}

// Credential is a stored credential; Data is the base64 RSA-PKCS#1 v1.5
// ciphertext the client sent, which the engine can decrypt.
type Credential struct {
	ID        string
	Name      string
	Data      string
	CreatedAt time.Time
}

// Cookie is a stored cookie.
type Cookie struct {
	ID        string
	Name      string
	Key       string
	Value     string
	Domain    string
	Secure    bool
	HTTPOnly  bool
	SameSite  string
	Expiry    time.Time
	CreatedAt time.Time
}

// ProfileInput creates a profile. Credential Data must be ciphertext made
// with the engine's public key.
type ProfileInput struct {
	Name           string
	Description    string
	OrganizationID string
	ProxyCountry   string
	ProxyType      string
	CaptchaSolver  bool
	StickyIP       bool
	ExtraStealth   bool
	Credentials    []Credential
	Cookies        []Cookie
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
	AddCredentials    []Credential
	DeleteCredentials []string
	AddCookies        []Cookie
	DeleteCookies     []string
}

// Pool is an agent profile pool.
type Pool struct {
	ID                 string
	Name               string
	OrganizationID     string
	AllowConcurrentUse bool
	SelectionStrategy  string // least_recently_used | most_recently_used
	ProfileIDs         []string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Selection strategies.
const (
	LeastRecentlyUsed = "least_recently_used"
	MostRecentlyUsed  = "most_recently_used"
)

// PoolInput creates a pool.
type PoolInput struct {
	Name               string
	OrganizationID     string
	AllowConcurrentUse bool
	SelectionStrategy  string // empty: least_recently_used
}

// PoolUpdate changes a pool; nil fields are left alone.
type PoolUpdate struct {
	Name               *string
	AllowConcurrentUse *bool
	SelectionStrategy  *string
}

// StagedFile is a file uploaded for a later execute.
type StagedFile struct {
	ID        string
	Name      string
	MimeType  string
	Size      int64
	CreatedAt time.Time
}
