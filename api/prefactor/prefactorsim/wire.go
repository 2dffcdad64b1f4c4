package prefactorsim

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// What the façade sends, as Prefactor names it.

type agentOut struct {
	Type               string         `json:"type"`
	ID                 string         `json:"id"`
	Name               string         `json:"name"`
	Description        string         `json:"description"`
	ExternalIdentifier string         `json:"external_identifier"`
	Status             string         `json:"status"` // pending | active | dormant | retired
	AccountID          string         `json:"account_id"`
	InstanceCounts     map[string]int `json:"instance_counts"`
	InsertedAt         string         `json:"inserted_at"`
	UpdatedAt          string         `json:"updated_at"`
}

type instanceOut struct {
	Type              string         `json:"type"`
	ID                string         `json:"id"`
	AccountID         string         `json:"account_id"`
	AgentID           string         `json:"agent_id"`
	AgentVersionID    string         `json:"agent_version_id"`
	EnvironmentID     string         `json:"environment_id"`
	AgentDeploymentID string         `json:"agent_deployment_id"`
	Status            string         `json:"status"`
	Purpose           string         `json:"purpose"`
	InsertedAt        string         `json:"inserted_at"`
	UpdatedAt         string         `json:"updated_at"`
	StartedAt         *string        `json:"started_at"`
	FinishedAt        *string        `json:"finished_at"`
	TerminationReason *string        `json:"termination_reason"`
	SpanCounts        map[string]int `json:"span_counts,omitempty"`
}

type spanOut struct {
	Type            string         `json:"type"`
	ID              string         `json:"id"`
	AccountID       string         `json:"account_id"`
	AgentID         string         `json:"agent_id"`
	AgentInstanceID string         `json:"agent_instance_id"`
	ParentSpanID    *string        `json:"parent_span_id"`
	SchemaName      string         `json:"schema_name"`
	SchemaTitle     string         `json:"schema_title"`
	Status          string         `json:"status"` // pending | active | complete | failed | cancelled
	Payload         map[string]any `json:"payload"`
	ResultPayload   any            `json:"result_payload"`
	Summary         *string        `json:"summary,omitempty"`
	StartedAt       string         `json:"started_at"`
	FinishedAt      *string        `json:"finished_at"`
	InsertedAt      string         `json:"inserted_at"`
	UpdatedAt       string         `json:"updated_at"`
	RiskLevel       string         `json:"risk_level,omitempty"`
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func stampPtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := stamp(t)
	return &s
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// crockford is the alphabet of PFIDs (Crockford base32, lower case).
const crockford = "0123456789abcdefghjkmnpqrstvwxyz"

// ts10 is t's milliseconds in 10 base32 characters: ids that start with it
// sort by time, as Prefactor's k-sortable ids do.
func ts10(t time.Time) string {
	ms := uint64(max(t.UnixMilli(), 0))
	var b [10]byte
	for i := 9; i >= 0; i-- {
		b[i] = crockford[ms&31]
		ms >>= 5
	}
	return string(b[:])
}

// instanceID is the k-sortable id of an engine execution: its creation
// time, then its uuid's hex.
func instanceID(created time.Time, engineID string) string {
	return ts10(created) + strings.ReplaceAll(engineID, "-", "")
}

// engineID reverses instanceID.
func engineID(id string) (string, bool) {
	if len(id) != 42 {
		return "", false
	}
	h := id[10:]
	if _, err := hex.DecodeString(h); err != nil {
		return "", false
	}
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}

// spanID is a derived span's id: its start, a letter for its kind and a
// digest of what it is.
func spanID(start time.Time, kind byte, key string) string {
	sum := sha256.Sum256([]byte(key))
	return ts10(start) + string(kind) + hex.EncodeToString(sum[:])[:21]
}
