package prefactor

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// The wire format: {status, details} for one object, {status, summaries,
// pagination, sorting} for a listing, {status:"error", code, message,
// errors} for a failure. Fields are decoded tolerantly (UNCONFIRMED shapes:
// odd scalars are read as what they say, never fail a listing).

type detailsEnvelope[T any] struct {
	Details T `json:"details"`
}

type listEnvelope struct {
	Summaries  []json.RawMessage `json:"summaries"`
	Pagination *struct {
		NextPageOffset flexInt `json:"next_page_offset"`
		ItemCount      flexInt `json:"item_count"`
	} `json:"pagination"`
}

// next returns the offset of the next page; ok is false on the last page.
func (l listEnvelope) next() (int, bool) {
	if l.Pagination == nil || !l.Pagination.NextPageOffset.set {
		return 0, false
	}
	return l.Pagination.NextPageOffset.n, true
}

// flexInt reads a number, a numeric string or null.
type flexInt struct {
	n   int
	set bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if s == "" || s == "null" {
		*f = flexInt{}
		return nil
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		*f = flexInt{}
		return nil
	}
	*f = flexInt{n: int(n), set: true}
	return nil
}

// flexTime reads an RFC 3339 time; anything else is the zero time.
type flexTime struct{ time.Time }

func (f *flexTime) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil || s == "" {
		f.Time = time.Time{}
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, _ = time.Parse("2006-01-02T15:04:05.999999", s) // naive timestamps: UTC
	}
	f.Time = t
	return nil
}

// flexString reads a string, a number or a bool as text; null is "".
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var s string
	switch {
	case json.Unmarshal(b, &s) == nil:
		*f = flexString(s)
	case string(b) == "null":
		*f = ""
	case len(b) > 0 && b[0] != '{' && b[0] != '[':
		*f = flexString(b)
	default:
		*f = ""
	}
	return nil
}

type wireAgent struct {
	ID             flexString         `json:"id"`
	Name           flexString         `json:"name"`
	Description    flexString         `json:"description"`
	Status         flexString         `json:"status"` // pending | active | dormant | retired
	AccountID      flexString         `json:"account_id"`
	InsertedAt     flexTime           `json:"inserted_at"`
	InstanceCounts map[string]flexInt `json:"instance_counts"`
}

// activeCount is how many of the agent's instances are open (pending or
// active), and whether the server said.
func (a wireAgent) activeCount() (int, bool) {
	if a.InstanceCounts == nil {
		return 0, false
	}
	p, a1 := a.InstanceCounts["pending"], a.InstanceCounts["active"]
	if !p.set && !a1.set {
		return 0, false
	}
	return p.n + a1.n, true
}

type wireInstance struct {
	ID                flexString         `json:"id"`
	AccountID         flexString         `json:"account_id"`
	AgentID           flexString         `json:"agent_id"`
	AgentVersionID    flexString         `json:"agent_version_id"`
	EnvironmentID     flexString         `json:"environment_id"`
	AgentDeploymentID flexString         `json:"agent_deployment_id"`
	Status            flexString         `json:"status"`
	Purpose           flexString         `json:"purpose"`
	InsertedAt        flexTime           `json:"inserted_at"`
	UpdatedAt         flexTime           `json:"updated_at"`
	StartedAt         flexTime           `json:"started_at"`
	FinishedAt        flexTime           `json:"finished_at"`
	TerminationReason flexString         `json:"termination_reason"`
	SpanCounts        map[string]flexInt `json:"span_counts"`
}

type wireSpan struct {
	ID              flexString      `json:"id"`
	AgentID         flexString      `json:"agent_id"`
	AgentInstanceID flexString      `json:"agent_instance_id"`
	ParentSpanID    flexString      `json:"parent_span_id"`
	SchemaName      flexString      `json:"schema_name"`
	SchemaTitle     flexString      `json:"schema_title"`
	Status          flexString      `json:"status"` // pending | active | complete | failed | cancelled
	Payload         json.RawMessage `json:"payload"`
	ResultPayload   json.RawMessage `json:"result_payload"`
	Summary         flexString      `json:"summary"`
	StartedAt       flexTime        `json:"started_at"`
	FinishedAt      flexTime        `json:"finished_at"`
	InsertedAt      flexTime        `json:"inserted_at"`
	UpdatedAt       flexTime        `json:"updated_at"`
	RiskLevel       flexString      `json:"risk_level"`
}

type wireEnvironment struct {
	ID        flexString `json:"id"`
	Name      flexString `json:"name"`
	AccountID flexString `json:"account_id"`
}

type wireDeployment struct {
	ID            flexString `json:"id"`
	AgentID       flexString `json:"agent_id"`
	EnvironmentID flexString `json:"environment_id"`
	Status        flexString `json:"status"`
}

type wireAccount struct {
	ID    flexString `json:"id"`
	Name  flexString `json:"name"`
	Email flexString `json:"email"`
}
