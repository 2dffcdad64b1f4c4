package wire

import "encoding/json"

// Paths (relative to the origin, e.g. https://odyssey.asteroid.ai).
const (
	V2Prefix = "/agents/v2"
	V1Prefix = "/api/v1"
)

// APIKeyHeader carries the API key on every request. AltAPIKeyHeader is an
// alternative seen in an official example; servers should accept both.
const (
	APIKeyHeader    = "X-Asteroid-Agents-Api-Key"
	AltAPIKeyHeader = "X-Api-Key"
)

// Page is a paged v2 listing.
type Page[T any] struct {
	Items    []T `json:"items"`
	Page     Int `json:"page"`
	PageSize Int `json:"pageSize"`
	Total    Int `json:"total"`
}

// Agent is AgentBase (GET /agents). Description is not part of the public
// API; the simulator sends it and the client shows it when present.
type Agent struct {
	ID             ID     `json:"id"`
	Name           String `json:"name"`
	CreatedAt      Time   `json:"createdAt"`
	OrganizationID ID     `json:"organizationId,omitempty"`
	UserID         ID     `json:"userId,omitempty"`
	Description    String `json:"description,omitempty"`
}

// ExecuteRequest is the body of POST /agents/{agentId}/execute.
type ExecuteRequest struct {
	AgentProfileID     string            `json:"agentProfileId,omitempty"`
	AgentProfilePoolID string            `json:"agentProfilePoolId,omitempty"`
	Inputs             map[string]any    `json:"inputs,omitempty"`
	DynamicData        map[string]any    `json:"dynamicData,omitempty"` // deprecated alias of inputs
	Metadata           map[string]string `json:"metadata,omitempty"`
	TempFiles          []TempFile        `json:"tempFiles,omitempty"`
	Version            *int              `json:"version,omitempty"`
	ExecutionOptions   *ExecutionOptions `json:"executionOptions,omitempty"`
}

// ExecuteResponse is the 202 body of execute.
type ExecuteResponse struct {
	ExecutionID string `json:"executionId"`
}

// ExecutionOptions are per-run overrides.
type ExecutionOptions struct {
	SharedStorageKey string `json:"sharedStorageKey,omitempty"`
	SoftTimeoutMins  Int    `json:"softTimeoutMins,omitempty"`
}

// TempFile is a staged file reference.
type TempFile struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// TempFilesResponse is the 200 body of POST /temp-files/{organizationId}.
type TempFilesResponse struct {
	TempFiles []TempFile `json:"tempFiles"`
}

// Execution is ExecutionListItem, the body of GET /executions/{id} and the
// items of GET /executions. Every field but id is treated as optional.
type Execution struct {
	ID                  ID                `json:"id"`
	AgentID             ID                `json:"agentId"`
	AgentName           String            `json:"agentName"`
	WorkflowID          ID                `json:"workflowId,omitempty"`
	AgentVersion        Int               `json:"agentVersion"`
	AgentVersionDirty   Bool              `json:"agentVersionDirty"`
	Status              String            `json:"status"`
	CreatedAt           Time              `json:"createdAt"`
	TerminalAt          Time              `json:"terminalAt,omitzero"`
	OrganizationID      ID                `json:"organizationId"`
	ExecutionResult     *ExecutionResult  `json:"executionResult,omitempty"`
	Duration            *Float            `json:"duration,omitempty"` // seconds; terminal executions only
	HumanLabels         []HumanLabel      `json:"humanLabels"`
	Comments            []Comment         `json:"comments"`
	Metadata            StringMap         `json:"metadata,omitempty"`
	AgentProfileID      ID                `json:"agentProfileId,omitempty"`
	AgentProfileName    String            `json:"agentProfileName,omitempty"`
	BrowserLiveViewURL  String            `json:"browserLiveViewUrl,omitempty"`
	BrowserRecordingURL String            `json:"browserRecordingUrl,omitempty"`
	LiveViewURL         String            `json:"liveViewUrl,omitempty"`
	RecordingURL        String            `json:"recordingUrl,omitempty"`
	HasBeenRerun        Bool              `json:"hasBeenRerun"`
	Inputs              json.RawMessage   `json:"inputs,omitempty"`
	ExecutionOptions    *ExecutionOptions `json:"executionOptions,omitempty"`
	ParentExecutionID   ID                `json:"parentExecutionId,omitempty"`
	TriggerContext      json.RawMessage   `json:"triggerContext,omitempty"`
}

// ExecutionResult is an execution's result.
type ExecutionResult struct {
	ID          ID              `json:"id"`
	ExecutionID ID              `json:"executionId"`
	Outcome     String          `json:"outcome"`
	Reasoning   String          `json:"reasoning"`
	Result      json.RawMessage `json:"result"`
	CreatedAt   Time            `json:"createdAt"`
}

// HumanLabel is a label on an execution.
type HumanLabel struct {
	ID             ID     `json:"id"`
	OrganizationID ID     `json:"organizationId,omitempty"`
	Name           String `json:"name"`
	Color          String `json:"color,omitempty"`
	CreatedAt      Time   `json:"createdAt,omitzero"`
}

// Comment is a comment on an execution.
type Comment struct {
	ID          ID     `json:"id"`
	ExecutionID ID     `json:"executionId,omitempty"`
	UserID      ID     `json:"userId,omitempty"`
	Content     String `json:"content"`
	Public      Bool   `json:"public"`
	CreatedAt   Time   `json:"createdAt,omitzero"`
	UpdatedAt   Time   `json:"updatedAt,omitzero"`
}

// StatusUpdateRequest is the body of POST /executions/{id}/status.
type StatusUpdateRequest struct {
	Status string `json:"status"` // "running" | "paused" | "cancelled"
}

// UserMessageRequest is the body of POST /executions/{id}/user-messages.
type UserMessageRequest struct {
	Message string `json:"message"`
}

// Bare success bodies the API sends as JSON string literals.
const (
	MsgUserMessageAdded = "User message added."
	MsgStatusUpdated    = "Execution status updated."
	MsgFilesUploaded    = "Files uploaded."
)

// ContextFile is an item of GET /executions/{id}/context-files.
type ContextFile struct {
	ID          ID     `json:"id"`
	ExecutionID ID     `json:"executionId"`
	AgentID     ID     `json:"agentId"`
	FilePath    String `json:"filePath"`
	FileName    String `json:"fileName"`
	FileExt     String `json:"fileExt"`
	FileSize    Int    `json:"fileSize"`
	FileType    String `json:"fileType"`
	MimeType    String `json:"mimeType"`
	CreatedAt   Time   `json:"createdAt"`
	SignedURL   String `json:"signedUrl"`
}

// AgentFiles is the body of GET /executions/{id}/agent-files.
type AgentFiles struct {
	Directories map[string][]AgentFile `json:"directories"`
}

// AgentFile is one file of an execution's agent filesystem.
type AgentFile struct {
	ID          ID     `json:"id"`
	AgentID     ID     `json:"agentId"`
	ExecutionID ID     `json:"executionId"`
	CreatedAt   Time   `json:"createdAt"`
	UpdatedAt   Time   `json:"updatedAt,omitzero"`
	CreatedBy   String `json:"createdBy,omitempty"`
	Directory   String `json:"directory"`
	DownloadURL String `json:"downloadUrl"`
	FileName    String `json:"fileName"`
	FilePath    String `json:"filePath"`
	FileSize    Int    `json:"fileSize"`
	MimeType    String `json:"mimeType,omitempty"`
}

// Pool is an agent profile pool (v2).
type Pool struct {
	ID                 ID     `json:"id"`
	Name               String `json:"name"`
	OrganizationID     ID     `json:"organizationId"`
	AllowConcurrentUse Bool   `json:"allowConcurrentUse"`
	SelectionStrategy  String `json:"selectionStrategy"`
	CreatedAt          Time   `json:"createdAt"`
	UpdatedAt          Time   `json:"updatedAt"`
}

// CreatePoolRequest is the body of POST /agent-profile-pools.
type CreatePoolRequest struct {
	Name               string `json:"name"`
	OrganizationID     string `json:"organizationId"`
	AllowConcurrentUse *bool  `json:"allowConcurrentUse,omitempty"`
	SelectionStrategy  string `json:"selectionStrategy,omitempty"`
}

// UpdatePoolRequest is the body of PATCH /agent-profile-pools/{poolId}.
type UpdatePoolRequest struct {
	Name               *string `json:"name,omitempty"`
	AllowConcurrentUse *bool   `json:"allowConcurrentUse,omitempty"`
	SelectionStrategy  *string `json:"selectionStrategy,omitempty"`
}

// UserContext is the body of GET /context. Its real field names are
// UNCONFIRMED (reference §2.9); this is what the simulator sends, and the
// client also reads the alternative names listed in its decoder.
type UserContext struct {
	UserID        string              `json:"userId,omitempty"`
	Email         String              `json:"email,omitempty"`
	Organizations []OrganizationEntry `json:"organizations,omitempty"`
}

// OrganizationEntry is one organization membership.
type OrganizationEntry struct {
	ID   string `json:"id"`
	Name String `json:"name"`
	Role String `json:"role,omitempty"`
}

// ErrorBody is the v2 error shape {code, message}.
type ErrorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// ErrorBodyV1 is the v1 error shape {error}.
type ErrorBodyV1 struct {
	Error string `json:"error"`
}
