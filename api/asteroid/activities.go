package asteroid

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// Activities returns an execution's feed (GET /executions/{id}/activities),
// ordered and limited as asked. An item that cannot be read still yields an
// activity, so one bad item never hides the rest of the feed.
func (c *Client) Activities(ctx context.Context, id string, q api.ActivityQuery) ([]api.Activity, error) {
	query := url.Values{}
	setIf(query, "order", string(q.Order))
	if q.Limit > 0 {
		query.Set("limit", strconv.Itoa(q.Limit))
	}
	var items []json.RawMessage
	if err := c.do(ctx, call{method: "GET", path: "/executions/{id}/activities", args: []string{id}, query: query}, &items); err != nil {
		return nil, err
	}
	out := make([]api.Activity, 0, len(items))
	for _, raw := range items {
		out = append(out, activityFromJSON(raw))
	}
	return out, nil
}

// activityFromJSON maps one feed item as received. A timestamp that cannot be
// read leaves Time zero; an item that is not an object becomes a generic
// activity saying so.
func activityFromJSON(raw json.RawMessage) api.Activity {
	var item struct {
		ID          wire.String     `json:"id"`
		ExecutionID wire.String     `json:"executionId"`
		Timestamp   json.RawMessage `json:"timestamp"`
		Payload     json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(raw, &item); err != nil {
		return api.Activity{Kind: api.KindGeneric, Text: "unreadable activity", Actor: api.ActorSystem, Raw: raw}
	}
	a := wire.Activity{ID: string(item.ID), ExecutionID: string(item.ExecutionID), Payload: item.Payload}
	_ = a.Timestamp.UnmarshalJSON(item.Timestamp) // a bad timestamp leaves Time zero
	act := activityFromWire(a)
	act.Raw = raw
	return act
}

// ActivityFromWire maps an activity of either payload generation to the
// neutral model: kind, actor, a one-line Text, and the platform's own text in
// full in Message (actions, agent messages, reasoning, user messages). It never fails: an unknown
// type keeps its name as Kind, and an unreadable payload becomes a generic
// activity whose Text says so. Raw is the activity re-encoded.
func ActivityFromWire(a wire.Activity) api.Activity {
	act := activityFromWire(a)
	act.Raw, _ = json.Marshal(a)
	return act
}

// activityFromWire is ActivityFromWire without Raw.
func activityFromWire(a wire.Activity) api.Activity {
	act := api.Activity{ID: a.ID, ExecutionID: a.ExecutionID, Time: a.Timestamp.Time, Actor: api.ActorSystem}
	typ, b, err := wire.DecodePayload(a.Payload)
	if err != nil {
		act.Kind, act.Text = api.KindGeneric, "unreadable "+cmp.Or(typ, "activity")+" payload"
		return act
	}
	msg := strings.TrimSpace(string(b.Message))
	act.Kind = api.ActivityKind(typ)
	switch typ {
	case wire.TypeTerminal:
		act.Text = joinText(": ", "feed ended"+parenthesised(string(b.Reason)), oneLine(msg))
	case wire.TypeGeneric:
		act.Text = cmp.Or(oneLine(msg), typ)
	case wire.TypeReasoning:
		act.Actor, act.Message = api.ActorAgent, strings.TrimSpace(string(b.Reasoning))
		act.Text = cmp.Or(oneLine(act.Message), "reasoning")
	case wire.TypeStepStarted, wire.TypeStepCompleted:
		act.Text = stepText(typ, b.StepNumber)
	case wire.TypeTransitionedNode:
		act.Text = nodeText(b)
	case wire.TypeStatusChanged:
		act.Status, act.Reason = statusFromWire(string(b.Status)), statusReason(b)
		act.Text = joinText(": ", "status → "+cmp.Or(string(act.Status), "unknown"), oneLine(act.Reason))
	case wire.TypeActionStarted, wire.TypeActionCompleted, wire.TypeActionFailed:
		mapAction(&act, typ, b, msg)
	case wire.TypeUserMessage:
		act.Actor, act.Message = api.ActorUser, msg
		act.Text = cmp.Or(oneLine(msg), "user message")
	case wire.TypeFileAdded:
		act.Actor, act.Text = fileAddedText(b)
	case wire.TypeWorkflowUpdated, wire.TypeGraphUpdatedAlias:
		act.Kind, act.Text = api.KindWorkflowUpdated, workflowText(b)
	case wire.TypeScriptGenerated:
		act.Actor = api.ActorAgent
		act.Text = joinText(" for ", "generated a Playwright script", oneLine(string(b.NodeName)))
	case "":
		act.Kind, act.Text = api.KindGeneric, cmp.Or(oneLine(msg), "activity")
	default:
		act.Text = cmp.Or(oneLine(msg), typ)
	}
	return act
}

// mapAction fills an action_started / _completed / _failed activity. The
// agent's message to a human (util_send_user_message, send_user_message) is
// flagged AgentMessage and carries the message as Text and Message.
func mapAction(act *api.Activity, typ string, b wire.Body, msg string) {
	info := parseInfo(b.Info)
	act.Actor = api.ActorAgent
	act.ActionName = cmp.Or(strings.TrimSpace(string(b.ActionName)), info.name)
	act.Message = msg
	act.AgentMessage = act.ActionName == wire.ActionSendUserMessage || act.ActionName == wire.ActionSendUserMessageOld
	if act.Text = oneLine(msg); act.Text != "" {
		return
	}
	label := actionLabel(act.ActionName)
	switch typ {
	case wire.TypeActionStarted:
		act.Text = joinText(" ", label, info.url)
	case wire.TypeActionCompleted:
		act.Text = label + " done"
	default:
		act.Text = label + " failed"
	}
}

// actionInfo is what the optional info object adds to an action.
type actionInfo struct{ name, url string }

// parseInfo reads an action's info in either form: flat
// {"actionName", "url", …} or nested {"actionName", "info": {"url", …}}.
func parseInfo(raw json.RawMessage) actionInfo {
	var info struct {
		ActionName wire.String `json:"actionName"`
		URL        wire.String `json:"url"`
		Info       struct {
			URL wire.String `json:"url"`
		} `json:"info"`
	}
	_ = json.Unmarshal(raw, &info) // decoration only: keep whatever could be read
	return actionInfo{
		name: strings.TrimSpace(string(info.ActionName)),
		url:  strings.TrimSpace(string(cmp.Or(info.URL, info.Info.URL))),
	}
}

// statusReason reads the reason out of a status_changed sub-payload: the
// outcome and reasoning of a completion, the reason (and OS error) of a
// failure, the reason of a pause, cancellation or pending confirmation.
func statusReason(b wire.Body) string {
	switch {
	case b.CompletedPayload != nil:
		return joinText(" — ", strings.TrimSpace(string(b.CompletedPayload.Outcome)), strings.TrimSpace(string(b.CompletedPayload.Reasoning)))
	case b.FailedPayload != nil:
		var osErr string
		if b.FailedPayload.OSError != nil {
			osErr = strings.TrimSpace(string(b.FailedPayload.OSError.Message))
		}
		return joinText(": ", strings.TrimSpace(string(b.FailedPayload.Reason)), osErr)
	}
	for _, p := range []*wire.ReasonPayload{b.PausedPayload, b.AwaitingConfirmationPayload, b.CancelledPayload} {
		if p != nil {
			return strings.TrimSpace(string(p.Reason))
		}
	}
	return ""
}

func stepText(typ string, n *wire.Int) string {
	verb := "started"
	if typ == wire.TypeStepCompleted {
		verb = "completed"
	}
	if n == nil {
		return "step " + verb
	}
	return fmt.Sprintf("step %d %s", *n, verb)
}

func nodeText(b wire.Body) string {
	name := cmp.Or(oneLine(string(b.NewNodeName)), b.NewNodeUUID)
	if name == "" {
		return "moved to the next node"
	}
	return "entered node " + name + parenthesised(string(b.NewNodeType))
}

// fileAddedText names who added a file: the agent downloaded it, or a user
// uploaded it.
func fileAddedText(b wire.Body) (api.Actor, string) {
	name := cmp.Or(oneLine(string(b.FileName)), b.FileID, "a file")
	if b.FileSize != nil && *b.FileSize > 0 {
		name += " (" + api.FormatSize(int64(*b.FileSize)) + ")"
	}
	switch strings.ToLower(string(b.Source)) {
	case "download":
		return api.ActorAgent, "downloaded " + name
	case "upload":
		return api.ActorUser, "uploaded " + name
	}
	return api.ActorSystem, "file added: " + name
}

// updateVerbs words a workflow_updated updateType.
var updateVerbs = map[string]string{"add": "added", "edit": "edited", "delete": "deleted"}

// workflowText summarises live workflow edits, e.g.
// "workflow updated: added node Login, deleted transition".
func workflowText(b wire.Body) string {
	raw := b.WorkflowUpdate
	if len(raw) == 0 {
		raw = b.GraphUpdate
	}
	var ups []wire.WorkflowUpdate
	if json.Unmarshal(raw, &ups) != nil || len(ups) == 0 {
		return "workflow updated"
	}
	const shown = 3
	var parts []string
	for i, u := range ups {
		if i == shown {
			parts = append(parts, fmt.Sprintf("%d more", len(ups)-shown))
			break
		}
		verb := updateVerbs[u.UpdateType]
		what := "rules"
		switch {
		case u.NodeDetails != nil:
			what = joinText(" ", "node", oneLine(u.NodeDetails.NodeName))
		case u.TransitionDetails != nil:
			what = joinText(" ", oneLine(u.TransitionDetails.TransitionType), "transition")
		}
		parts = append(parts, joinText(" ", cmp.Or(verb, u.UpdateType), what))
	}
	return "workflow updated: " + strings.Join(parts, ", ")
}

// joinText joins the non-empty parts with sep.
func joinText(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// parenthesised returns " (s)", or "" for an empty s.
func parenthesised(s string) string {
	if s = oneLine(s); s == "" {
		return ""
	}
	return " (" + s + ")"
}
