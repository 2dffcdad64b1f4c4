package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Activity is an item of GET /executions/{id}/activities (a bare array).
type Activity struct {
	ID          string          `json:"id"`
	ExecutionID string          `json:"executionId"`
	Timestamp   Time            `json:"timestamp"`
	Payload     json.RawMessage `json:"payload"`
}

// Activity types.
const (
	TypeTerminal          = "terminal"
	TypeGeneric           = "generic"
	TypeReasoning         = "reasoning"
	TypeStepStarted       = "step_started"
	TypeStepCompleted     = "step_completed"
	TypeTransitionedNode  = "transitioned_node"
	TypeStatusChanged     = "status_changed"
	TypeActionStarted     = "action_started"
	TypeActionCompleted   = "action_completed"
	TypeActionFailed      = "action_failed"
	TypeUserMessage       = "user_message_received"
	TypeFileAdded         = "file_added"
	TypeWorkflowUpdated   = "workflow_updated"
	TypeScriptGenerated   = "playwright_script_generated"
	TypeGraphUpdatedAlias = "graph_updated" // Sep 2025 name of workflow_updated
)

// Action names that carry the agent's message to a human (new and old).
const (
	ActionSendUserMessage    = "util_send_user_message"
	ActionSendUserMessageOld = "send_user_message"
)

// Body is the union of every activity type's fields. In the flat payload
// generation these sit beside activityType; in the envelope generation they
// sit under "data". Only the fields of the payload's type are set.
type Body struct {
	// terminal, generic, action_*, user_message_received
	Message String `json:"message,omitempty"`
	// terminal: unsubscribe | complete | error
	Reason String `json:"reason,omitempty"`
	// reasoning
	Reasoning String `json:"reasoning,omitempty"`
	// step_started, step_completed
	StepNumber *Int `json:"stepNumber,omitempty"`
	// transitioned_node
	NewNodeUUID      string `json:"newNodeUUID,omitempty"`
	NewNodeName      String `json:"newNodeName,omitempty"`
	NewNodeType      String `json:"newNodeType,omitempty"`
	FromNodeDuration *Int   `json:"fromNodeDuration,omitempty"`
	TransitionType   String `json:"transitionType,omitempty"`
	// status_changed
	Status                      String            `json:"status,omitempty"`
	CompletedPayload            *CompletedPayload `json:"completedPayload,omitempty"`
	FailedPayload               *FailedPayload    `json:"failedPayload,omitempty"`
	PausedPayload               *ReasonPayload    `json:"pausedPayload,omitempty"`
	AwaitingConfirmationPayload *ReasonPayload    `json:"awaitingConfirmationPayload,omitempty"`
	CancelledPayload            *ReasonPayload    `json:"cancelledPayload,omitempty"`
	// action_started, action_completed, action_failed
	ActionName String          `json:"actionName,omitempty"`
	ActionID   String          `json:"actionId,omitempty"`
	Duration   *Int            `json:"duration,omitempty"`
	Info       json.RawMessage `json:"info,omitempty"`
	// user_message_received
	UserUUID string `json:"userUUID,omitempty"`
	// file_added
	FileID       string `json:"fileId,omitempty"`
	FileName     String `json:"fileName,omitempty"`
	MimeType     String `json:"mimeType,omitempty"`
	FileSize     *Int   `json:"fileSize,omitempty"`
	Source       String `json:"source,omitempty"`
	PresignedURL String `json:"presignedUrl,omitempty"`
	// workflow_updated (graph_updated used graphUpdate)
	WorkflowUpdate json.RawMessage `json:"workflowUpdate,omitempty"`
	GraphUpdate    json.RawMessage `json:"graphUpdate,omitempty"`
	// playwright_script_generated
	NodeID    string          `json:"nodeId,omitempty"`
	NodeName  String          `json:"nodeName,omitempty"`
	Script    String          `json:"script,omitempty"`
	Context   String          `json:"context,omitempty"`
	OldScript String          `json:"oldScript,omitempty"`
	LLMVars   json.RawMessage `json:"llmVars,omitempty"`
}

// CompletedPayload is status_changed's sub-payload for completed.
type CompletedPayload struct {
	Outcome        String          `json:"outcome"`
	Reasoning      String          `json:"reasoning"`
	Result         json.RawMessage `json:"result,omitempty"`
	LessonsLearned String          `json:"lessons_learned,omitempty"`
}

// FailedPayload is status_changed's sub-payload for failed.
type FailedPayload struct {
	Reason  String   `json:"reason"`
	OSError *OSError `json:"os_error,omitempty"`
}

// OSError is a failure's operating-system detail.
type OSError struct {
	Message String `json:"message"`
}

// ReasonPayload is the {reason} sub-payload of paused, awaiting_confirmation
// and cancelled (timeout | max_steps | user_requested).
type ReasonPayload struct {
	Reason String `json:"reason"`
}

// WorkflowUpdate is one item of workflow_updated.workflowUpdate.
type WorkflowUpdate struct {
	UpdateType        string             `json:"updateType"` // add | edit | delete
	NodeDetails       *NodeDetails       `json:"nodeDetails,omitempty"`
	TransitionDetails *TransitionDetails `json:"transitionDetails,omitempty"`
	RulesDetails      json.RawMessage    `json:"rulesDetails,omitempty"`
}

// NodeDetails describes a workflow node.
type NodeDetails struct {
	NodeID   string `json:"nodeID"`
	NodeName string `json:"nodeName"`
	NodeType string `json:"nodeType"`
}

// TransitionDetails describes a workflow transition.
type TransitionDetails struct {
	TransitionID   string `json:"transitionID"`
	TransitionType string `json:"transitionType"`
}

// DecodePayload reads an activity payload of either generation: it returns
// the activityType and the body, taken from "data" when that is an object
// (envelope form) and from the payload itself otherwise (flat form). A
// payload without activityType decodes with an empty type.
func DecodePayload(raw json.RawMessage) (string, Body, error) {
	var head struct {
		ActivityType String          `json:"activityType"`
		Data         json.RawMessage `json:"data"`
	}
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), null) {
		return "", Body{}, nil
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return "", Body{}, fmt.Errorf("activity payload: %w", err)
	}
	src := []byte(raw)
	if d := bytes.TrimSpace(head.Data); len(d) > 0 && d[0] == '{' {
		src = d
	}
	var body Body
	if err := json.Unmarshal(src, &body); err != nil {
		return string(head.ActivityType), Body{}, fmt.Errorf("activity payload %s: %w", head.ActivityType, err)
	}
	return string(head.ActivityType), body, nil
}

// PayloadShape selects how EncodePayload writes a payload.
type PayloadShape int

// Payload shapes.
const (
	ShapeFlat     PayloadShape = iota // {"activityType": t, ...fields} — the newest generation
	ShapeEnvelope                     // {"activityType": t, "data": {...fields}} — the older generation
)

// EncodePayload writes a payload in the given shape.
func EncodePayload(activityType string, body Body, shape PayloadShape) (json.RawMessage, error) {
	fields, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	typ, _ := json.Marshal(activityType)
	var b bytes.Buffer
	b.WriteString(`{"activityType":`)
	b.Write(typ)
	switch shape {
	case ShapeEnvelope:
		b.WriteString(`,"data":`)
		b.Write(fields)
		b.WriteByte('}')
	default:
		if len(fields) > 2 { // not "{}"
			b.WriteByte(',')
			b.Write(fields[1:])
		} else {
			b.WriteByte('}')
		}
	}
	return json.RawMessage(b.Bytes()), nil
}
