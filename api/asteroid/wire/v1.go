package wire

import "encoding/json"

// AgentProfile is the v1 agent profile (snake_case).
type AgentProfile struct {
	ID                  ID           `json:"id"`
	Name                String       `json:"name"`
	Description         String       `json:"description"`
	OrganizationID      ID           `json:"organization_id"`
	ProxyCC             String       `json:"proxy_cc,omitempty"`
	ProxyType           String       `json:"proxy_type,omitempty"`
	CaptchaSolverActive Bool         `json:"captcha_solver_active"`
	StickyIP            Bool         `json:"sticky_ip"`
	Credentials         []Credential `json:"credentials"`
	Cookies             []Cookie     `json:"cookies"`
	CreatedAt           Time         `json:"created_at"`
	UpdatedAt           Time         `json:"updated_at"`
	ExtraStealth        Bool         `json:"extra_stealth"`
	TracingSnapshots    *Bool        `json:"tracing_snapshots,omitempty"`
}

// Credential is a profile credential. Data is the RSA-PKCS#1 v1.5 ciphertext,
// standard base64; it must never be displayed.
type Credential struct {
	ID        ID     `json:"id,omitempty"`
	Name      string `json:"name"`
	Data      string `json:"data"`
	CreatedAt Time   `json:"created_at,omitzero"`
}

// Cookie is a profile cookie.
type Cookie struct {
	ID        ID     `json:"id,omitempty"`
	Name      string `json:"name"`
	Key       string `json:"key"`
	Value     string `json:"value"`
	Expiry    Time   `json:"expiry,omitzero"`
	Domain    string `json:"domain"`
	Secure    Bool   `json:"secure"`
	SameSite  string `json:"same_site"` // Strict | Lax | None
	HTTPOnly  Bool   `json:"http_only"`
	CreatedAt Time   `json:"created_at,omitzero"`
}

// CreateAgentProfileRequest is the body of POST /agent-profiles.
type CreateAgentProfileRequest struct {
	Name                string       `json:"name"`
	Description         string       `json:"description"`
	OrganizationID      string       `json:"organization_id"`
	ProxyCC             string       `json:"proxy_cc,omitempty"`
	ProxyType           string       `json:"proxy_type,omitempty"`
	CaptchaSolverActive bool         `json:"captcha_solver_active"`
	StickyIP            bool         `json:"sticky_ip"`
	Credentials         []Credential `json:"credentials"`
	Cookies             []Cookie     `json:"cookies"`
	ExtraStealth        *bool        `json:"extra_stealth,omitempty"`
}

// UpdateAgentProfileRequest is the body of PATCH /agent-profiles/{id}.
type UpdateAgentProfileRequest struct {
	Name                *string      `json:"name,omitempty"`
	Description         *string      `json:"description,omitempty"`
	ProxyCC             *string      `json:"proxy_cc,omitempty"`
	ProxyType           *string      `json:"proxy_type,omitempty"`
	CaptchaSolverActive *bool        `json:"captcha_solver_active,omitempty"`
	StickyIP            *bool        `json:"sticky_ip,omitempty"`
	CredentialsToAdd    []Credential `json:"credentials_to_add,omitempty"`
	CredentialsToDelete []string     `json:"credentials_to_delete,omitempty"`
	CookiesToAdd        []Cookie     `json:"cookies_to_add,omitempty"`
	CookiesToDelete     []string     `json:"cookies_to_delete,omitempty"`
	ExtraStealth        *bool        `json:"extra_stealth,omitempty"`
}

// DeleteResponse is the 200 body of DELETE /agent-profiles/{id}.
type DeleteResponse struct {
	Message string `json:"message,omitempty"`
}

// ExecuteRequestV1 is the body of v1 POST /agent/{id}/execute.
type ExecuteRequestV1 struct {
	AgentProfileID string         `json:"agent_profile_id,omitempty"`
	DynamicData    map[string]any `json:"dynamic_data,omitempty"`
}

// ExecuteResponseV1 is its 202 body.
type ExecuteResponseV1 struct {
	ExecutionID string `json:"execution_id"`
}

// UploadFilesV1 is the 200 body of v1 POST /execution/{id}/files.
type UploadFilesV1 struct {
	Message string   `json:"message,omitempty"`
	FileIDs []string `json:"file_ids,omitempty"`
}

// ExecutionStatusV1 is the body of v1 GET /execution/{id}/status.
type ExecutionStatusV1 struct {
	ExecutionID string `json:"execution_id"`
	Status      string `json:"status"`
	Reason      string `json:"reason,omitempty"`
	UpdatedAt   Time   `json:"updated_at,omitzero"`
}

// ExecutionResultV1 is the body of v1 GET /execution/{id}/result.
type ExecutionResultV1 struct {
	ExecutionID     string                 `json:"execution_id"`
	Status          string                 `json:"status"`
	Result          json.RawMessage        `json:"result,omitempty"` // deprecated
	Error           string                 `json:"error,omitempty"`
	ExecutionResult *ExecutionResultV1Body `json:"execution_result,omitempty"`
}

// ExecutionResultV1Body is the v1 execution_result object.
type ExecutionResultV1Body struct {
	Outcome   string          `json:"outcome"`
	Reasoning string          `json:"reasoning"`
	Result    json.RawMessage `json:"result,omitempty"`
}

// RecordingV1 is the body of v1 GET /execution/{id}/browser_session/recording.
type RecordingV1 struct {
	RecordingURL string `json:"recording_url"`
}

// FileV1 is an item of v1 GET /execution/{id}/files.
type FileV1 struct {
	ID          string `json:"id"`
	ExecutionID string `json:"execution_id"`
	FilePath    string `json:"file_path"`
	FileExt     string `json:"file_ext"`
	FileName    string `json:"file_name"`
	FileSize    Int    `json:"file_size"`
	MimeType    string `json:"mime_type"`
	CreatedAt   Time   `json:"created_at"`
	SignedURL   string `json:"signed_url"`
}

// HealthV1 is the body of v1 GET /health.
type HealthV1 struct {
	Status string `json:"status"`
}
