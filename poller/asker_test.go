package poller

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/agentop/agentop/api"
)

// askingBackend reads questions the platform's own way (api.Asker).
type askingBackend struct {
	*fakeBackend
}

func (a askingBackend) Interaction(_ context.Context, e api.Execution, seen time.Time) (api.InteractionRequest, error) {
	if err := a.enter("interaction"); err != nil {
		return api.InteractionRequest{}, err
	}
	return api.InteractionRequest{ExecutionID: e.ID, AgentID: e.AgentID, Question: "Asked the platform's way", AskedAt: seen, ActivityID: "q-" + e.ID}, nil
}

// TestAnAskerBackendDerivesTheQuestionItself: where the backend is an
// api.Asker, the poller asks it instead of reading activities.
func TestAnAskerBackendDerivesTheQuestionItself(t *testing.T) {
	f := newFake()
	f.put("w", api.StatusPausedByAgent, 0)
	h := start(t, f, func(c *Config) { c.Backend = askingBackend{f} })

	ie := waitFor(h, func(e InteractionEvent) bool { return e.Request.ExecutionID == "w" })
	assert.Equal(t, "Asked the platform's way", ie.Request.Question)
	assert.Positive(t, f.count("interaction"))
	assert.Zero(t, f.count("Activities"), "no activity reads for the question")
}
