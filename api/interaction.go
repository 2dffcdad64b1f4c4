package api

import (
	"sort"
	"strings"
	"time"
)

// GenericQuestion is shown when an agent is waiting but no question text can
// be found in its recent activities.
const GenericQuestion = "The agent is waiting for your input."

// DeriveInteraction reads the agent's question for an execution that is
// paused_by_agent out of its recent activities (any order). It follows the
// order recommended for Asteroid (reference §3.3):
//
//  1. the newest activity carrying the agent's message to a human
//     (AgentMessage: an action util_send_user_message / send_user_message);
//  2. else the newest action_started with a message;
//  3. else the newest status_changed to paused_by_agent with a reason;
//  4. else a generic prompt (Fallback set).
//
// Activities older than the newest user message are not considered for 1 and
// 2: a question that was already answered is not asked again. seen is when the
// caller first saw the pause; it is AskedAt for the fallback.
func DeriveInteraction(e Execution, acts []Activity, seen time.Time) InteractionRequest {
	req := InteractionRequest{ExecutionID: e.ID, AgentID: e.AgentID, AgentName: e.AgentName}

	sorted := make([]Activity, len(acts))
	copy(sorted, acts)
	// Newest first; stable so equal timestamps keep the server's order
	// reversed the same way every time.
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Time.After(sorted[j].Time) })

	var answered time.Time
	for _, a := range sorted {
		if a.Kind == KindUserMessage {
			answered = a.Time
			break
		}
	}
	fresh := func(a Activity) bool { return answered.IsZero() || a.Time.After(answered) }

	// Only the platform's own words count: a summary an adapter made up
	// ("navigate https://…") is not a question.
	pick := func(match func(Activity) bool) bool {
		for _, a := range sorted {
			if text := strings.TrimSpace(a.Message); match(a) && text != "" {
				req.Question, req.AskedAt, req.ActivityID = text, a.Time, a.ID
				return true
			}
		}
		return false
	}
	if pick(func(a Activity) bool { return a.AgentMessage && fresh(a) }) {
		return req
	}
	if pick(func(a Activity) bool { return a.Kind == KindActionStarted && fresh(a) }) {
		return req
	}
	for _, a := range sorted {
		if a.Kind == KindStatusChanged && a.Status == StatusPausedByAgent {
			if r := strings.TrimSpace(a.Reason); r != "" {
				req.Question, req.AskedAt, req.ActivityID = r, a.Time, a.ID
				return req
			}
			break
		}
	}
	req.Question, req.AskedAt, req.Fallback = GenericQuestion, seen, true
	return req
}

// GenericApproval is shown when an execution awaits confirmation but no
// reason can be found in its recent activities.
const GenericApproval = "The agent asks for approval before it goes on."

// DeriveApproval reads what an execution awaiting confirmation asks a person
// to approve: the reason of the newest status_changed to
// awaiting_confirmation among acts (any order), else the execution's own
// status reason, else GenericApproval (Fallback set, AskedAt seen).
func DeriveApproval(e Execution, acts []Activity, seen time.Time) InteractionRequest {
	req := InteractionRequest{ExecutionID: e.ID, AgentID: e.AgentID, AgentName: e.AgentName}
	var newest *Activity
	for i, a := range acts {
		if a.Kind == KindStatusChanged && a.Status == StatusAwaitingConfirmation && strings.TrimSpace(a.Reason) != "" &&
			(newest == nil || a.Time.After(newest.Time)) {
			newest = &acts[i]
		}
	}
	switch {
	case newest != nil:
		req.Question, req.AskedAt, req.ActivityID = strings.TrimSpace(newest.Reason), newest.Time, newest.ID
	case strings.TrimSpace(e.StatusReason) != "":
		req.Question, req.AskedAt = strings.TrimSpace(e.StatusReason), seen
	default:
		req.Question, req.AskedAt, req.Fallback = GenericApproval, seen, true
	}
	return req
}
