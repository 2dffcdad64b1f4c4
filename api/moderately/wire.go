package moderately

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// The wire shapes of the Moderately AI API (openapi.json at
// moderately-ai/platform-sdk@2bc2f3c; camelCase). Decoding is tolerant: a
// timestamp or number of an unexpected type reads as zero rather than
// failing the whole answer.

// flexTime reads an ISO timestamp, a Unix time in seconds or milliseconds,
// or null.
type flexTime struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (t *flexTime) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	var s string
	if json.Unmarshal(b, &s) == nil {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
			if v, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
				t.Time = v.UTC()
				return nil
			}
		}
		return nil
	}
	var n float64
	if json.Unmarshal(b, &n) == nil && n > 0 {
		if n > 1e12 {
			t.Time = time.UnixMilli(int64(n)).UTC()
		} else {
			t.Time = time.Unix(int64(n), 0).UTC()
		}
	}
	return nil
}

// flexInt reads a number, a numeric string, or null.
type flexInt int

// UnmarshalJSON implements json.Unmarshaler.
func (n *flexInt) UnmarshalJSON(b []byte) error {
	*n = 0
	var f float64
	if json.Unmarshal(b, &f) == nil {
		*n = flexInt(f)
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, _ := strconv.Atoi(strings.TrimSpace(s))
		*n = flexInt(v)
	}
	return nil
}

// flexText reads a string, or any other JSON value as its compact text
// (null as "").
type flexText string

// UnmarshalJSON implements json.Unmarshaler.
func (t *flexText) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*t = flexText(s)
		return nil
	}
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*t = ""
		return nil
	}
	var buf bytes.Buffer
	if json.Compact(&buf, b) == nil {
		*t = flexText(buf.String())
	}
	return nil
}

// pagination is the paging object of every listing but configuration
// versions.
type pagination struct {
	Page        flexInt `json:"page"`
	PageSize    flexInt `json:"pageSize"`
	TotalItems  flexInt `json:"totalItems"`
	TotalPages  flexInt `json:"totalPages"`
	HasNextPage *bool   `json:"hasNextPage"`
}

// listing is a paged answer.
type listing struct {
	Items      []json.RawMessage `json:"items"`
	Pagination *pagination       `json:"pagination"`
}

type thought struct {
	Text      flexText `json:"text"`
	CreatedAt flexTime `json:"createdAt"`
}

// agentExecution is one run of an agent configuration version. It carries
// no agent id.
type agentExecution struct {
	ID                 string          `json:"agentExecutionId"`
	VersionID          string          `json:"agentConfigurationVersionId"`
	Input              json.RawMessage `json:"agentInput"`
	InputSummary       flexText        `json:"agentInputSummary"`
	Output             json.RawMessage `json:"agentOutput"`
	OutputSummary      flexText        `json:"agentOutputSummary"`
	Status             string          `json:"status"`
	Thoughts           []thought       `json:"thoughts"`
	MaxActions         flexInt         `json:"maxActions"`
	CurrentStep        flexInt         `json:"currentStep"`
	CreatedAt          flexTime        `json:"createdAt"`
	UpdatedAt          flexTime        `json:"updatedAt"`
	StartedAt          flexTime        `json:"startedAt"`
	CompletedAt        flexTime        `json:"completedAt"`
	FailedAt           flexTime        `json:"failedAt"`
	CancelledAt        flexTime        `json:"cancelledAt"`
	PausedAt           flexTime        `json:"pausedAt"`
	Error              flexText        `json:"error"`
	FailureReason      flexText        `json:"failureReason"`
	CancellationReason flexText        `json:"cancellationReason"`
}

// pipelineExecution is one run of a pipeline.
type pipelineExecution struct {
	ID            string          `json:"pipelineExecutionId"`
	PipelineID    string          `json:"pipelineId"` // UNCONFIRMED: not in the spec's schema
	PipelineName  flexText        `json:"pipelineName"`
	VersionID     string          `json:"pipelineConfigurationVersionId"`
	Input         json.RawMessage `json:"pipelineInput"`
	InputSummary  flexText        `json:"pipelineInputSummary"`
	Output        json.RawMessage `json:"pipelineOutput"`
	OutputSummary flexText        `json:"pipelineOutputSummary"`
	Status        string          `json:"status"`
	CurrentStep   flexInt         `json:"currentStep"`
	TotalSteps    flexInt         `json:"totalSteps"`
	Reason        flexText        `json:"cancellationReason"`
	CreatedAt     flexTime        `json:"createdAt"`
	UpdatedAt     flexTime        `json:"updatedAt"`
	StartedAt     flexTime        `json:"startedAt"`
	CompletedAt   flexTime        `json:"completedAt"`
	FailedAt      flexTime        `json:"failedAt"`
	CancelledAt   flexTime        `json:"cancelledAt"`
	PausedAt      flexTime        `json:"pausedAt"`
}

// agent is an agent of the team.
type agent struct {
	ID          string   `json:"agentId"`
	TeamID      string   `json:"teamId"`
	Name        flexText `json:"name"`
	Description flexText `json:"description"`
	CreatedAt   flexTime `json:"createdAt"`
}

// configVersion is an agent configuration version; the listing is a bare
// array.
type configVersion struct {
	ID            string   `json:"agentConfigurationVersionId"`
	AgentID       string   `json:"agentId"`
	VersionNumber flexInt  `json:"versionNumber"`
	IsCurrent     bool     `json:"isCurrent"`
	Instructions  flexText `json:"instructions"`
	CreatedAt     flexTime `json:"createdAt"`
}

// liveTail is GET /agent-executions/{id}/live-tail.
type liveTail struct {
	Execution json.RawMessage   `json:"execution"`
	Steps     []json.RawMessage `json:"steps"`
}

// whoami is GET /authentication/whoami.
type whoami struct {
	UserID string   `json:"userId"`
	Email  flexText `json:"email"`
}

// createBody is the spec's POST /agent-executions body.
type createBody struct {
	VersionID    string         `json:"agentConfigurationVersionId"`
	Input        map[string]any `json:"agentInput"`
	InputSummary string         `json:"agentInputSummary"`
}

// cancelBody is POST /pipeline-executions/{id}/cancel's optional body.
type cancelBody struct {
	Reason string `json:"reason,omitempty"`
}
