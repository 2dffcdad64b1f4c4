// Package wire holds the JSON shapes of the ArchAstro platform API (paths
// under /api/v1, snake_case) that both the client (api/archastro) and the
// simulator façade (api/archastro/archastrosim) speak. The shapes follow
// the official TypeScript SDK @archastro/sdk 0.19.0 (types/common.d.ts) and
// the requests it was recorded sending (shared/reference/wire/
// archastro-requests.txt). Fields the reference marks UNCONFIRMED decode
// tolerantly: an id or an object, a list under "data" or "entries".
package wire

import (
	"bytes"
	"encoding/json"
	"time"
)

// Paths and headers.
const (
	Prefix       = "/api/v1"
	APIKeyHeader = "x-archastro-api-key"
	// MaxLimit is the largest limit any listing takes; the session list
	// has no paging beyond it.
	MaxLimit = 100
	// DefaultSessionLimit is the session list's limit when none is sent.
	DefaultSessionLimit = 25
)

// Session statuses (the platform's words).
const (
	SessionPending   = "pending"
	SessionRunning   = "running"
	SessionWaiting   = "waiting"
	SessionCompleted = "completed"
	SessionFailed    = "failed"
	SessionCancelled = "cancelled"
	RunSkipped       = "skipped" // routine runs only; terminal
)

// SessionStatuses are the statuses a session list filters on.
var SessionStatuses = []string{SessionPending, SessionRunning, SessionWaiting, SessionCompleted, SessionFailed, SessionCancelled}

// RunStatuses are the statuses a routine run list filters on.
var RunStatuses = []string{SessionPending, SessionRunning, SessionCompleted, SessionFailed, RunSkipped, SessionCancelled}

// Feed kinds and levels the activity feed accepts.
var (
	FeedKinds  = []string{"routine_run", "automation_run", "thread_story", "agent_quality_verdict", "work_item_assigned", "work_item_completed", "generic"}
	FeedLevels = []string{"debug", "info", "warn", "error", "audit"}
)

// Session is an agent session (ase_…).
type Session struct {
	ID              string         `json:"id"`
	Agent           Ref            `json:"agent,omitempty"`
	Status          string         `json:"status,omitempty"`
	Name            string         `json:"name,omitempty"`
	Instructions    string         `json:"instructions,omitempty"`
	Error           string         `json:"error,omitempty"`
	Inbox           []InboxEntry   `json:"inbox,omitempty"`
	IsSystemSession bool           `json:"is_system_session,omitempty"`
	Metadata        map[string]any `json:"metadata,omitempty"`
	Result          map[string]any `json:"result,omitempty"`
	Trajectory      string         `json:"trajectory,omitempty"`
	RoutineRun      string         `json:"routine_run,omitempty"` // the run that created it (not in the SDK's type; UNCONFIRMED)
	MaxTurns        int            `json:"max_turns,omitempty"`
	CreatedAt       Time           `json:"created_at,omitzero"`
	StartedAt       Time           `json:"started_at,omitzero"`
	UpdatedAt       Time           `json:"updated_at,omitzero"`
	CompletedAt     Time           `json:"completed_at,omitzero"`
}

// InboxEntry is a message delivered to a session.
type InboxEntry struct {
	ID         string         `json:"id,omitempty"`
	Role       string         `json:"role,omitempty"`
	Content    string         `json:"content"`
	SenderID   string         `json:"sender_id,omitempty"`
	SenderType string         `json:"sender_type,omitempty"`
	SentAt     Time           `json:"sent_at,omitzero"`
	Metadata   map[string]any `json:"metadata,omitempty"`
}

// CreateSession is the body of POST /agent_sessions.
type CreateSession struct {
	Agent        string            `json:"agent"`
	Instructions string            `json:"instructions"`
	Name         string            `json:"name,omitempty"`
	Metadata     map[string]string `json:"metadata,omitempty"`
	StartIdle    bool              `json:"start_idle,omitempty"`
}

// Message is the body of POST /agent_sessions/{id}/message.
type Message struct {
	Content  string         `json:"content"`
	Role     string         `json:"role"`
	Metadata map[string]any `json:"metadata,omitempty"`
}

// Trajectory is a session's message log (trj_…).
type Trajectory struct {
	ID        string              `json:"id"`
	Messages  []TrajectoryMessage `json:"messages"`
	CreatedAt Time                `json:"created_at,omitzero"`
	UpdatedAt Time                `json:"updated_at,omitzero"`
}

// TrajectoryMessage is one AI or tool message. The SDK leaves its shape
// open ("AI and tool messages"); these are the fields read, all optional.
type TrajectoryMessage struct {
	ID        string `json:"id,omitempty"`
	Role      string `json:"role,omitempty"` // assistant | ai | tool | user | system
	Content   Text   `json:"content,omitempty"`
	Name      string `json:"name,omitempty"` // a tool message's tool
	ToolCall  string `json:"tool_call,omitempty"`
	Status    string `json:"status,omitempty"` // a tool message's outcome: ok | error
	CreatedAt Time   `json:"created_at,omitzero"`
}

// RoutineRun is one run of an agent routine (arr_…).
type RoutineRun struct {
	ID         string         `json:"id"`
	Agent      Ref            `json:"agent,omitempty"`
	Routine    string         `json:"routine,omitempty"`
	Status     string         `json:"status,omitempty"`
	DurationMS int64          `json:"duration_ms,omitempty"`
	EventID    string         `json:"event_id,omitempty"`
	Metadata   map[string]any `json:"metadata,omitempty"`
	Payload    map[string]any `json:"payload,omitempty"`
	Result     map[string]any `json:"result,omitempty"`
	Session    string         `json:"session,omitempty"` // the session it started (UNCONFIRMED)
	Worker     *Worker        `json:"worker,omitempty"`
	CreatedAt  Time           `json:"created_at,omitzero"`
	UpdatedAt  Time           `json:"updated_at,omitzero"`
}

// Worker is a run's background job (display only).
type Worker struct {
	Status string `json:"status,omitempty"`
}

// JournalEntry is one durable workflow record of a routine run.
type JournalEntry struct {
	ID        string          `json:"id"`
	Sequence  int64           `json:"sequence"`
	Type      string          `json:"type"`
	NodeID    string          `json:"node_id,omitempty"`
	Record    json.RawMessage `json:"record,omitempty"`
	CreatedAt Time            `json:"created_at,omitzero"`
}

// Journal is GET /agent_routines/runs/{id}/journal.
type Journal struct {
	Data        []json.RawMessage `json:"data"`
	Journal     json.RawMessage   `json:"journal,omitempty"`
	HasMore     bool              `json:"has_more"`
	AfterCursor string            `json:"after_cursor,omitempty"`
}

// FeedEntry is one activity feed entry (afe_…).
type FeedEntry struct {
	ID            string         `json:"id"`
	Kind          string         `json:"kind,omitempty"`
	Level         string         `json:"level,omitempty"`
	Title         string         `json:"title,omitempty"`
	Content       string         `json:"content,omitempty"`
	Metadata      map[string]any `json:"metadata,omitempty"`
	CorrelationID string         `json:"correlation_id,omitempty"`
	Agent         Ref            `json:"agent,omitempty"`
	SessionRecord Ref            `json:"session_record,omitempty"`
	RoutineRun    Ref            `json:"routine_run,omitempty"`
	CreatedAt     Time           `json:"created_at,omitzero"`
	UpdatedAt     Time           `json:"updated_at,omitzero"`
}

// List is a cursor-paged listing: {data, before_cursor, after_cursor,
// has_more}. The feed's named type calls the items "entries"; both decode.
type List struct {
	Data         []json.RawMessage `json:"data"`
	BeforeCursor string            `json:"before_cursor,omitempty"`
	AfterCursor  string            `json:"after_cursor,omitempty"`
	HasMore      *bool             `json:"has_more,omitempty"`
}

// UnmarshalJSON reads "data", or "entries" where "data" is absent.
func (l *List) UnmarshalJSON(b []byte) error {
	type plain List
	var v struct {
		plain
		Entries []json.RawMessage `json:"entries"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = List(v.plain)
	if l.Data == nil {
		l.Data = v.Entries
	}
	return nil
}

// Agent is an agent (agi_…).
type Agent struct {
	ID           string `json:"id"`
	Name         string `json:"name,omitempty"`
	Description  string `json:"description,omitempty"`
	Identity     string `json:"identity,omitempty"`
	DefaultModel string `json:"default_model,omitempty"`
	LookupKey    string `json:"lookup_key,omitempty"`
	Org          string `json:"org,omitempty"`
	App          string `json:"app,omitempty"`
	CreatedAt    Time   `json:"created_at,omitzero"`
	UpdatedAt    Time   `json:"updated_at,omitzero"`
}

// AgentPage is GET /agents: a numbered page with totals.
type AgentPage struct {
	Data         []json.RawMessage `json:"data"`
	Page         int               `json:"page"`
	PageSize     int               `json:"page_size"`
	TotalEntries int               `json:"total_entries"`
	TotalPages   int               `json:"total_pages"`
	HasNext      bool              `json:"has_next"`
	HasPrev      bool              `json:"has_prev"`
}

// Health is GET /agents/{id}/health.
type Health struct {
	Status string  `json:"status"` // ok | warning | critical
	Score  float64 `json:"score"`
}

// Me is GET /users/me.
type Me struct {
	ID           string `json:"id"`
	Email        string `json:"email,omitempty"`
	Name         string `json:"name,omitempty"`
	App          string `json:"app,omitempty"`
	AppName      string `json:"app_name,omitempty"`
	Org          string `json:"org,omitempty"`
	OrgName      string `json:"org_name,omitempty"`
	IsSystemUser bool   `json:"is_system_user,omitempty"`
}

// NestedError is {"error":{"code"|"type","message","fields"}}.
type NestedError struct {
	Error struct {
		Code    string       `json:"code,omitempty"`
		Type    string       `json:"type,omitempty"`
		Message string       `json:"message"`
		Fields  []FieldError `json:"fields,omitempty"`
	} `json:"error"`
}

// FieldError names one invalid field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FlatError is {"error":"code","message":"…"}.
type FlatError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// Ref is an id that may arrive as a string or as an object with an id
// (the feed's agent, user and session_record). It encodes as the id.
type Ref string

// UnmarshalJSON accepts "id", {"id": "…"} and null.
func (r *Ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*r = ""
		return nil
	case b[0] == '{':
		var o struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*r = Ref(o.ID)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*r = Ref(s)
	return nil
}

// Text is message content: a string, or a list of parts with "text" (the
// shape chat models use), joined by newlines.
type Text string

// UnmarshalJSON accepts a string, null, or [{"type":"text","text":"…"}, …].
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*t = ""
		return nil
	case b[0] == '[':
		var parts []struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(b, &parts); err != nil {
			return err
		}
		var out []string
		for _, p := range parts {
			if p.Text != "" {
				out = append(out, p.Text)
			}
		}
		*t = Text(joinLines(out))
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*t = Text(s)
	return nil
}

func joinLines(xs []string) string {
	var b bytes.Buffer
	for i, x := range xs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(x)
	}
	return b.String()
}

// Time is an ISO 8601 time that decodes tolerantly: RFC 3339 with or
// without fractions or a zone, or empty/null as the zero time.
type Time struct{ time.Time }

// MarshalJSON writes RFC 3339 in UTC with milliseconds.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05.000Z07:00") + `"`), nil
}

// IsZero reports whether t is unset (for omitzero).
func (t Time) IsZero() bool { return t.Time.IsZero() }

// UnmarshalJSON reads what MarshalJSON writes, and looser forms.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) || json.Unmarshal(b, &s) != nil || s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	t.Time = time.Time{}
	return nil
}

// At wraps a time.
func At(t time.Time) Time { return Time{t} }
