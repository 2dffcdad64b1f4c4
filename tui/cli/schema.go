package cli

import (
	"encoding/json"
	"time"

	"github.com/agentop/agentop/api"
)

// The types below are the shapes of -o json. They are agentop's stable
// scripting interface: fields are added, never renamed or removed. Names are
// lowerCamel; times are RFC 3339; a field marked "omitted when empty" is
// absent rather than null or "". A command prints one object or one array
// of objects; a --follow stream prints one object per line.

// AgentOutput is an agent (agents list).
type AgentOutput struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Description    string    `json:"description,omitempty"`    // omitted when empty
	OrganizationID string    `json:"organizationId,omitempty"` // omitted when empty
	CreatedAt      time.Time `json:"createdAt,omitzero"`       // omitted when unknown
	Status         string    `json:"status,omitempty"`         // the platform's word for the agent (Prefactor: pending, active, dormant, retired)
}

// ExecutionOutput is an execution (executions list, executions get).
type ExecutionOutput struct {
	ID                string            `json:"id"`
	AgentID           string            `json:"agentId"`
	AgentName         string            `json:"agentName"`
	AgentVersion      int               `json:"agentVersion,omitempty"`   // omitted when unknown
	Status            string            `json:"status"`                   // starting, running, paused, paused_by_agent, awaiting_confirmation, completed, failed, cancelled, or the platform's own word
	PlatformStatus    string            `json:"platformStatus,omitempty"` // the platform's own word where it differs ("pending")
	StatusReason      string            `json:"statusReason,omitempty"`   // why, where the platform says
	Kind              string            `json:"kind,omitempty"`           // the kind of run, where a platform has several ("pipeline")
	Title             string            `json:"title,omitempty"`          // what the run is for, where the platform names it
	Terminal          bool              `json:"terminal"`                 // the execution has ended for good
	OrganizationID    string            `json:"organizationId,omitempty"`
	ProfileID         string            `json:"profileId,omitempty"`
	ProfileName       string            `json:"profileName,omitempty"`
	ParentExecutionID string            `json:"parentExecutionId,omitempty"`
	WorkflowID        string            `json:"workflowId,omitempty"`
	CreatedAt         time.Time         `json:"createdAt,omitzero"`
	TerminalAt        time.Time         `json:"terminalAt,omitzero"`       // omitted until it ends
	DurationSeconds   float64           `json:"durationSeconds,omitempty"` // of an ended execution; omitted while it runs
	Result            *ResultOutput     `json:"result"`                    // null until there is one
	LiveViewURL       string            `json:"liveViewUrl,omitempty"`     // while a browser session runs
	RecordingURL      string            `json:"recordingUrl,omitempty"`    // once recorded
	Metadata          map[string]string `json:"metadata"`                  // {} when none
	Inputs            json.RawMessage   `json:"inputs,omitempty"`          // as given to execute
	Labels            []LabelOutput     `json:"labels"`                    // [] when none
}

// ResultOutput is what an execution produced.
type ResultOutput struct {
	Outcome   string          `json:"outcome"` // "success", "failure", or the platform's word
	Reasoning string          `json:"reasoning,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"` // the agent's structured result, verbatim
	CreatedAt time.Time       `json:"createdAt,omitzero"`
}

// LabelOutput is a label on an execution.
type LabelOutput struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color,omitempty"`
}

// ActivityOutput is one entry of an execution's feed (activities).
type ActivityOutput struct {
	ID           string    `json:"id"`
	ExecutionID  string    `json:"executionId"`
	Time         time.Time `json:"time,omitzero"`
	Kind         string    `json:"kind"`                   // action_started, status_changed, user_message_received, … or the platform's own
	Actor        string    `json:"actor"`                  // agent, user or system
	Text         string    `json:"text"`                   // one readable line
	Message      string    `json:"message,omitempty"`      // the platform's own text in full, possibly multi-line
	ActionName   string    `json:"actionName,omitempty"`   // action_* kinds
	Status       string    `json:"status,omitempty"`       // status_changed: the new status
	Reason       string    `json:"reason,omitempty"`       // status_changed: why
	AgentMessage bool      `json:"agentMessage,omitempty"` // this is the agent speaking to a human
	// Tree feeds (Prefactor spans): the enclosing entry, the entry's own
	// state when it changes (active, complete, failed), how long it took
	// and when it last changed.
	ParentID   string    `json:"parentId,omitempty"`
	State      string    `json:"state,omitempty"`
	DurationMs int64     `json:"durationMs,omitempty"`
	UpdatedAt  time.Time `json:"updatedAt,omitzero"`
}

// FileOutput is a file of an execution (files).
type FileOutput struct {
	ID          string    `json:"id"`
	ExecutionID string    `json:"executionId,omitempty"`
	Name        string    `json:"name"`
	Path        string    `json:"path,omitempty"`
	Directory   string    `json:"directory,omitempty"` // context (uploaded), downloads, workspace, …
	MimeType    string    `json:"mimeType,omitempty"`
	Size        int64     `json:"size"` // bytes
	CreatedAt   time.Time `json:"createdAt,omitzero"`
	URL         string    `json:"url,omitempty"` // pre-signed download URL; needs no API key
}

// ProfileOutput is an agent profile (profiles list/get/create/update).
// Credential and cookie values are never part of it.
type ProfileOutput struct {
	ID             string             `json:"id"`
	Name           string             `json:"name"`
	Description    string             `json:"description,omitempty"`
	OrganizationID string             `json:"organizationId,omitempty"`
	ProxyCountry   string             `json:"proxyCountry,omitempty"`
	ProxyType      string             `json:"proxyType,omitempty"`
	CaptchaSolver  bool               `json:"captchaSolver"`
	StickyIP       bool               `json:"stickyIp"`
	ExtraStealth   bool               `json:"extraStealth"`
	Credentials    []CredentialOutput `json:"credentials"` // [] when none
	Cookies        []CookieOutput     `json:"cookies"`     // [] when none
	CreatedAt      time.Time          `json:"createdAt,omitzero"`
	UpdatedAt      time.Time          `json:"updatedAt,omitzero"`
}

// CredentialOutput names a stored credential; its value is never shown.
type CredentialOutput struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
}

// CookieOutput describes a stored cookie without its value.
type CookieOutput struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Key      string    `json:"key"`
	Domain   string    `json:"domain"`
	Secure   bool      `json:"secure"`
	HTTPOnly bool      `json:"httpOnly"`
	SameSite string    `json:"sameSite,omitempty"`
	Expiry   time.Time `json:"expiry,omitzero"`
}

// PoolOutput is an agent profile pool (pools list/get).
type PoolOutput struct {
	ID                 string    `json:"id"`
	Name               string    `json:"name"`
	OrganizationID     string    `json:"organizationId,omitempty"`
	AllowConcurrentUse bool      `json:"allowConcurrentUse"`
	SelectionStrategy  string    `json:"selectionStrategy,omitempty"` // least_recently_used | most_recently_used
	CreatedAt          time.Time `json:"createdAt,omitzero"`
	UpdatedAt          time.Time `json:"updatedAt,omitzero"`
}

// ExecuteOutput is what execute started.
type ExecuteOutput struct {
	ExecutionID string `json:"executionId"`
	AgentID     string `json:"agentId"`
}

// ActionOutput confirms an action: pause, resume, cancel, reply (on an
// execution) or delete (of a profile).
type ActionOutput struct {
	Action string `json:"action"` // pause | resume | cancel | reply | delete
	Target string `json:"target"` // execution | profile
	ID     string `json:"id"`
	// Error is why the action failed, in a bulk action's list; omitted
	// when it succeeded.
	Error string `json:"error,omitempty"`
}

// WaitOutput is how a wait ended (wait).
type WaitOutput struct {
	Context     string          `json:"context,omitempty"`  // with --all-contexts: the context of the execution
	Platform    string          `json:"platform,omitempty"` // with --all-contexts: its platform
	ExecutionID string          `json:"executionId"`
	For         string          `json:"for"`      // interaction | result
	Outcome     string          `json:"outcome"`  // asked | completed | ended | timeout (exit codes 0, 0, 5, 6)
	Status      string          `json:"status"`   // the execution's last status seen
	Question    *QuestionOutput `json:"question"` // set when the agent asked; else null
	// Wants is what the execution waits for from a person (asked):
	// "answer" (reply) or "approval" (resume).
	Wants  string        `json:"wants,omitempty"`
	Next   string        `json:"next,omitempty"` // the command that gives it: "agentop reply ID MESSAGE", "agentop resume ID"
	Result *ResultOutput `json:"result"`         // set when the execution has a result; else null
}

// QuestionOutput is an agent's question to a human.
type QuestionOutput struct {
	Text       string    `json:"text"`
	AskedAt    time.Time `json:"askedAt,omitzero"`
	ActivityID string    `json:"activityId,omitempty"` // the activity it was read from
	Fallback   bool      `json:"fallback"`             // no question text was found; text is a generic prompt
	// ReadOnly: the answer is given outside agentop (answerWhere, e.g.
	// Slack); 'agentop reply' cannot send it.
	ReadOnly    bool   `json:"readOnly,omitempty"`
	AnswerWhere string `json:"answerWhere,omitempty"`
}

// RecordingOutput is an execution's browser recording (recording).
type RecordingOutput struct {
	ExecutionID string `json:"executionId"`
	URL         string `json:"url"`
}

// VersionOutput is agentop's build (version).
type VersionOutput struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"` // GOOS/GOARCH
}

// ConfigOutput is the resolved configuration (config view). The API key is
// described ("set (from $ASTEROID_API_KEY)"), never shown.
type ConfigOutput struct {
	Path         SettingOutput[string]              `json:"path"`
	FileFound    bool                               `json:"fileFound"`
	Context      SettingOutput[string]              `json:"context"`
	Contexts     []string                           `json:"contexts"`
	Platform     SettingOutput[string]              `json:"platform"`
	BaseURL      SettingOutput[string]              `json:"baseUrl"`
	Organization SettingOutput[string]              `json:"organizationId"`
	APIKey       SettingOutput[string]              `json:"apiKey"`
	Insecure     SettingOutput[bool]                `json:"insecure"`
	ReadOnly     SettingOutput[bool]                `json:"readOnly"`
	Theme        SettingOutput[string]              `json:"theme"`
	Notify       SettingOutput[string]              `json:"notify"`
	Keys         SettingOutput[map[string][]string] `json:"keys"`
	FeedLimit    SettingOutput[int]                 `json:"feedLimit"`
	// Extra holds the platform's own settings by name; a secret one's
	// value is only "set" or "not set".
	Extra map[string]SettingOutput[string] `json:"extra,omitempty"`
}

// SettingOutput is one resolved setting and where it came from.
type SettingOutput[T any] struct {
	Value  T      `json:"value"`
	Source string `json:"source"`           // flag | env | file | default (apiKey: "" when not set)
	Origin string `json:"origin,omitempty"` // --base-url, $ASTEROID_BASE_URL, contexts.prod.base-url …
}

func agentOutput(a api.Agent) AgentOutput {
	return AgentOutput{ID: a.ID, Name: a.Name, Description: a.Description, OrganizationID: a.OrganizationID, CreatedAt: a.CreatedAt, Status: a.Status}
}

func executionOutput(e api.Execution) ExecutionOutput {
	out := ExecutionOutput{
		ID: e.ID, AgentID: e.AgentID, AgentName: e.AgentName, AgentVersion: e.AgentVersion,
		Status: string(e.Status), Terminal: e.Status.IsTerminal(),
		PlatformStatus: e.PlatformStatus, StatusReason: e.StatusReason, Kind: e.Kind, Title: e.Title,
		OrganizationID: e.OrganizationID, ProfileID: e.ProfileID, ProfileName: e.ProfileName,
		ParentExecutionID: e.ParentExecutionID, WorkflowID: e.WorkflowID,
		CreatedAt: e.CreatedAt, TerminalAt: e.TerminalAt,
		Result:      resultOutput(e.Result),
		LiveViewURL: e.LiveViewURL, RecordingURL: e.RecordingURL,
		Metadata: map[string]string{}, Inputs: e.Inputs, Labels: []LabelOutput{},
	}
	if e.Status.IsTerminal() {
		out.DurationSeconds = e.Elapsed(e.TerminalAt).Seconds()
	}
	for k, v := range e.Metadata {
		out.Metadata[k] = v
	}
	for _, l := range e.Labels {
		out.Labels = append(out.Labels, LabelOutput{ID: l.ID, Name: l.Name, Color: l.Color})
	}
	return out
}

func resultOutput(r *api.Result) *ResultOutput {
	if r == nil {
		return nil
	}
	return &ResultOutput{Outcome: r.Outcome, Reasoning: r.Reasoning, Data: r.Data, CreatedAt: r.CreatedAt}
}

func activityOutput(a api.Activity) ActivityOutput {
	return ActivityOutput{
		ID: a.ID, ExecutionID: a.ExecutionID, Time: a.Time, Kind: string(a.Kind), Actor: string(a.Actor),
		Text: a.Text, Message: a.Message, ActionName: a.ActionName, Status: string(a.Status), Reason: a.Reason,
		AgentMessage: a.AgentMessage, ParentID: a.ParentID, State: a.State, DurationMs: a.Duration.Milliseconds(),
		UpdatedAt: a.Updated,
	}
}

func fileOutput(f api.File) FileOutput {
	return FileOutput{
		ID: f.ID, ExecutionID: f.ExecutionID, Name: f.Name, Path: f.Path, Directory: f.Directory,
		MimeType: f.MimeType, Size: f.Size, CreatedAt: f.CreatedAt, URL: f.URL,
	}
}

func profileOutput(p api.Profile) ProfileOutput {
	out := ProfileOutput{
		ID: p.ID, Name: p.Name, Description: p.Description, OrganizationID: p.OrganizationID,
		ProxyCountry: p.ProxyCountry, ProxyType: p.ProxyType,
		CaptchaSolver: p.CaptchaSolver, StickyIP: p.StickyIP, ExtraStealth: p.ExtraStealth,
		Credentials: []CredentialOutput{}, Cookies: []CookieOutput{},
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
	for _, c := range p.Credentials {
		out.Credentials = append(out.Credentials, CredentialOutput{ID: c.ID, Name: c.Name, CreatedAt: c.CreatedAt})
	}
	for _, c := range p.Cookies {
		out.Cookies = append(out.Cookies, CookieOutput{
			ID: c.ID, Name: c.Name, Key: c.Key, Domain: c.Domain,
			Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: c.SameSite, Expiry: c.Expiry,
		})
	}
	return out
}

func poolOutput(p api.ProfilePool) PoolOutput {
	return PoolOutput{
		ID: p.ID, Name: p.Name, OrganizationID: p.OrganizationID, AllowConcurrentUse: p.AllowConcurrentUse,
		SelectionStrategy: p.SelectionStrategy, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
}

func questionOutput(q api.InteractionRequest) *QuestionOutput {
	return &QuestionOutput{Text: q.Question, AskedAt: q.AskedAt, ActivityID: q.ActivityID, Fallback: q.Fallback,
		ReadOnly: q.ReadOnly, AnswerWhere: q.AnswerWhere}
}

// outputs maps a slice with conv, never returning nil (so JSON prints []).
func outputs[T, O any](items []T, conv func(T) O) []O {
	out := make([]O, 0, len(items))
	for _, it := range items {
		out = append(out, conv(it))
	}
	return out
}

// EnvironmentOutput is a place agents are deployed to (environments list).
type EnvironmentOutput struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	OrganizationID string `json:"organizationId,omitempty"` // omitted when empty
}

// DeploymentOutput is an agent deployed to an environment (deployments list).
type DeploymentOutput struct {
	ID              string `json:"id"`
	AgentID         string `json:"agentId"`
	AgentName       string `json:"agentName,omitempty"` // omitted when unknown
	EnvironmentID   string `json:"environmentId"`
	EnvironmentName string `json:"environmentName,omitempty"` // omitted when unknown
	Status          string `json:"status,omitempty"`          // the platform's word for the deployment; omitted when empty
}
