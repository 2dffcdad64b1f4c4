package api

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

func TestDeriveInteractionPrefersTheAgentsOwnMessage(t *testing.T) {
	e := Execution{ID: "e1", AgentID: "a1", AgentName: "Invoice downloader", Status: StatusPausedByAgent}
	acts := []Activity{
		{ID: "1", Time: at(1), Kind: KindActionStarted, Text: "navigate https://x", ActionName: "nav_to"}, // made-up summary
		{ID: "2", Time: at(2), Kind: KindActionStarted, Text: "Opening the billing page", Message: "Opening the billing page"},
		{ID: "3", Time: at(3), Kind: KindActionStarted, AgentMessage: true, Text: "Which account? A or B", Message: "Which account?\nA or B"},
		{ID: "4", Time: at(4), Kind: KindStatusChanged, Status: StatusPausedByAgent, Reason: "waiting for the user"},
	}
	req := DeriveInteraction(e, acts, at(10))
	assert.Equal(t, "Which account?\nA or B", req.Question)
	assert.Equal(t, "3", req.ActivityID)
	assert.Equal(t, at(3), req.AskedAt)
	assert.Equal(t, "Invoice downloader", req.AgentName)
	assert.False(t, req.Fallback)

	// Without an agent message: the newest action with a real message, not a summary.
	req = DeriveInteraction(e, acts[:2], at(10))
	assert.Equal(t, "Opening the billing page", req.Question)
	req = DeriveInteraction(e, acts[:1], at(10))
	assert.True(t, req.Fallback, "a made-up summary is not a question")

	// Then the pause reason, then the generic prompt.
	req = DeriveInteraction(e, []Activity{acts[0], acts[3]}, at(10))
	assert.Equal(t, "waiting for the user", req.Question)
	req = DeriveInteraction(e, nil, at(10))
	assert.Equal(t, GenericQuestion, req.Question)
	assert.Equal(t, at(10), req.AskedAt)
}

func TestDeriveInteractionIgnoresAnsweredQuestions(t *testing.T) {
	e := Execution{ID: "e1", Status: StatusPausedByAgent}
	acts := []Activity{
		{ID: "1", Time: at(1), Kind: KindActionStarted, AgentMessage: true, Message: "Send the 2FA code"},
		{ID: "2", Time: at(2), Kind: KindUserMessage, Actor: ActorUser, Message: "482913"},
		{ID: "3", Time: at(3), Kind: KindActionStarted, AgentMessage: true, Message: "Approve 120 EUR?"},
	}
	assert.Equal(t, "Approve 120 EUR?", DeriveInteraction(e, acts, at(9)).Question)
	assert.True(t, DeriveInteraction(e, acts[:2], at(9)).Fallback, "the only question was answered")
}

func TestStatusSemantics(t *testing.T) {
	for _, s := range TerminalStatuses {
		assert.True(t, s.IsTerminal())
		assert.False(t, s.CanCancel())
	}
	for _, s := range ActiveStatuses {
		assert.False(t, s.IsTerminal(), s)
		assert.True(t, s.CanCancel(), s)
	}
	unknown := Status("hibernating")
	assert.False(t, unknown.IsTerminal(), "unknown statuses never end a poll early")
	assert.False(t, unknown.IsKnown())
	assert.Equal(t, "hibernating", unknown.String())
	assert.True(t, StatusRunning.CanPause())
	assert.False(t, StatusPausedByAgent.CanResume(), "a waiting agent is answered, not resumed")
	assert.True(t, StatusPaused.CanResume())
	assert.True(t, StatusPausedByAgent.NeedsHuman())
	assert.False(t, StatusAwaitingConfirmation.NeedsHuman(), "NeedsHuman is the question alone")
	for _, s := range KnownStatuses {
		want := map[Status]string{StatusPausedByAgent: WantsAnswer, StatusAwaitingConfirmation: WantsApproval}[s]
		assert.Equal(t, want, s.Wants(), s)
		assert.Equal(t, want != "", s.AwaitsHuman(), s)
	}
	assert.False(t, unknown.AwaitsHuman())
}

func TestErrorsMatchByKindAndReadWell(t *testing.T) {
	err := fmt.Errorf("list: %w", &Error{Kind: KindRateLimited, Op: "GET /executions", StatusCode: 429, Message: "slow down", RetryAfter: 3 * time.Second})
	assert.True(t, errors.Is(err, ErrRateLimited))
	assert.False(t, errors.Is(err, ErrNotFound))
	assert.Equal(t, KindRateLimited, KindOf(err))
	assert.Equal(t, 3*time.Second, RetryAfterOf(err))
	assert.True(t, IsTemporary(err))
	assert.Equal(t, "list: GET /executions: rate limited (HTTP 429): slow down (retry after 3s)", err.Error())
	assert.Equal(t, KindUnknown, KindOf(errors.New("plain")))
	assert.False(t, IsTemporary(&Error{Kind: KindUnauthorized}))
	assert.Equal(t, KindUnsupported, KindOf(Unsupported("prefactor", "execute")))
}

func TestCapabilitiesReadOnly(t *testing.T) {
	all := Capabilities{Execute: true, Pause: true, Resume: true, Cancel: true, Reply: true, Files: true, UploadFiles: true,
		Recording: true, Profiles: true, ManageProfiles: true, Pools: true, UserContext: true}
	ro := all.ReadOnly()
	assert.False(t, ro.Mutating())
	assert.True(t, ro.Files && ro.Profiles && ro.Pools && ro.Recording)
	assert.Equal(t, "files,recording,profiles,pools,user-context", ro.String())
}

func TestPageHasMore(t *testing.T) {
	assert.True(t, Page[int]{Items: []int{1, 2}, Page: 1, PageSize: 2, Total: 3}.HasMore())
	assert.False(t, Page[int]{Items: []int{3}, Page: 2, PageSize: 2, Total: 3}.HasMore())
	assert.False(t, Page[int]{Items: nil, Page: 1, PageSize: 2, Total: 5}.HasMore(), "an empty page ends paging")
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KB", 1536: "1.5 KB", 5 << 20: "5.0 MB", 3 << 30: "3.0 GB", 5 << 40: "5.0 TB"} {
		assert.Equal(t, want, FormatSize(n))
	}
}

func TestCapabilitiesPoolsAndDownloads(t *testing.T) {
	c := Capabilities{Pools: true, ManagePools: true, Download: true}
	assert.True(t, c.Mutating(), "managing pools changes things")
	ro := c.ReadOnly()
	assert.False(t, ro.ManagePools)
	assert.True(t, ro.Download, "a download changes nothing")
	assert.Equal(t, "pools,download", ro.String())
	assert.True(t, PoolUpdate{}.Empty())
	name := "x"
	assert.False(t, PoolUpdate{Name: &name}.Empty())
}
