package api

import (
	"context"
	"encoding/json"
	"time"
)

// AgentVersion is one version of an agent's configuration (Moderately AI's
// agent configuration versions): read-only, one of them current.
type AgentVersion struct {
	ID        string
	AgentID   string
	Number    int
	Current   bool
	Summary   string // one line: the instructions, or what the platform says the version is
	CreatedAt time.Time
	Raw       json.RawMessage
}

// Versioner is a backend that lists an agent's configuration versions
// (newest first). agentID "" lists every agent's.
type Versioner interface {
	AgentVersions(ctx context.Context, agentID string) ([]AgentVersion, error)
}
