package asteroidsim

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// ParseShape reads an activity payload generation: "flat" (the newest,
// [PY-Dec25]) or "envelope" (the older {activityType, data}, [TS-Nov25]).
func ParseShape(s string) (wire.PayloadShape, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "flat":
		return wire.ShapeFlat, nil
	case "envelope":
		return wire.ShapeEnvelope, nil
	}
	return 0, fmt.Errorf("unknown activity shape %q (want flat or envelope)", s)
}

// legacyActions maps the engine's action names (PY-Dec25) to the names the
// envelope generation used (TS-Nov25), so each shape is one coherent
// generation. Names without an older counterpart are kept.
var legacyActions = map[string]string{
	"nav_to":                      "go_to_url",
	"element_click":               "browser_click",
	"element_type":                "browser_type",
	"element_select":              "browser_select_option",
	"element_wait":                "browser_wait_for",
	"element_fill_form":           "browser_fill_form",
	"element_get_text":            "get_text",
	"element_file_upload":         "browser_file_upload",
	"obs_snapshot":                "browser_snapshot",
	"obs_screenshot":              "browser_take_screenshot",
	"scratchpad_write":            "write_scratchpad",
	"scratchpad_read":             "read_scratchpad",
	"file_download":               "download_file",
	"file_list":                   "list_files",
	"file_read":                   "read_files",
	"util_send_user_message":      wire.ActionSendUserMessageOld,
	"util_generate_totp_secret":   "generate_totp_secret",
	"util_get_datetime":           "get_datetime",
	"ext_api_call":                "api_call",
	"ext_get_mail":                "get_mail",
	"ext_google_sheets_set_value": "google_sheets_set_value",
	"ext_google_sheets_get_data":  "google_sheets_get_data",
	"script_playwright":           "playwright_script",
	"script_hybrid_playwright":    "hybrid_playwright",
}

// activityOut writes an activity with its payload in the handler's shape.
func (h *handler) activityOut(a sim.Activity) (wire.Activity, error) {
	payload, err := wire.EncodePayload(string(a.Kind), h.body(a), h.shape)
	if err != nil {
		return wire.Activity{}, err
	}
	return wire.Activity{ID: a.ID, ExecutionID: a.ExecutionID, Timestamp: wire.T(a.Time), Payload: payload}, nil
}

// body fills the payload fields of the activity's type.
func (h *handler) body(a sim.Activity) wire.Body {
	b := wire.Body{Message: wire.String(a.Message), Reasoning: wire.String(a.Reasoning)}
	switch a.Kind {
	case api.KindStepStarted, api.KindStepCompleted:
		n := wire.Int(a.Step)
		b.StepNumber = &n
	case api.KindUserMessage:
		b.UserUUID = a.UserID
	}
	if x := a.Action; x != nil {
		h.action(&b, a.Kind, *x)
	}
	if n := a.Node; n != nil {
		ms := wire.Int(n.FromDuration.Milliseconds())
		b.NewNodeUUID, b.NewNodeName, b.NewNodeType, b.FromNodeDuration, b.TransitionType =
			n.NodeID, wire.String(n.NodeName), wire.String(n.NodeType), &ms, wire.String(n.TransitionType)
	}
	if c := a.Change; c != nil {
		statusChange(&b, *c)
	}
	if f := a.File; f != nil {
		size := wire.Int(f.Size)
		b.FileID, b.FileName, b.MimeType, b.FileSize, b.Source, b.PresignedURL =
			f.ID, wire.String(f.Name), wire.String(f.MimeType), &size, wire.String(f.Source), wire.String(f.URL)
	}
	if len(a.Updates) > 0 {
		b.WorkflowUpdate = rawJSON(workflowUpdates(a.Updates))
	}
	if s := a.Script; s != nil {
		b.NodeID, b.NodeName, b.Script, b.Context = s.NodeID, wire.String(s.NodeName), wire.String(s.Script), wire.String(s.Context)
	}
	return b
}

// action fills the action fields. The flat generation's info is
// {"actionName", ...detail}; the envelope generation's is
// {"actionName", "info": {...detail}}, with the older action names.
func (h *handler) action(b *wire.Body, kind api.ActivityKind, x sim.Action) {
	name := x.Name
	if h.shape == wire.ShapeEnvelope {
		if old, ok := legacyActions[name]; ok {
			name = old
		}
	}
	b.ActionName, b.ActionID = wire.String(name), wire.String(x.ID)
	if kind != api.KindActionStarted {
		ms := wire.Int(x.Duration.Milliseconds())
		b.Duration = &ms
	}
	if len(x.Detail) == 0 {
		return
	}
	info := map[string]any{"actionName": name}
	if h.shape == wire.ShapeEnvelope {
		info["info"] = x.Detail
	} else {
		for k, v := range x.Detail {
			info[k] = v
		}
	}
	b.Info = rawJSON(info)
}

// statusChange fills status_changed: the status and the sub-payload that
// goes with it.
func statusChange(b *wire.Body, c sim.StatusChange) {
	b.Status = wire.String(c.Status)
	reason := &wire.ReasonPayload{Reason: wire.String(c.Reason)}
	switch c.Status {
	case api.StatusPaused, api.StatusPausedByAgent:
		b.PausedPayload = reason
	case api.StatusAwaitingConfirmation:
		b.AwaitingConfirmationPayload = reason
	case api.StatusCancelled:
		b.CancelledPayload = reason
	case api.StatusFailed:
		b.FailedPayload = &wire.FailedPayload{Reason: wire.String(c.Reason)}
		if c.OSError != "" {
			b.FailedPayload.OSError = &wire.OSError{Message: wire.String(c.OSError)}
		}
	case api.StatusCompleted:
		p := &wire.CompletedPayload{LessonsLearned: wire.String(c.LessonsLearned)}
		if r := c.Result; r != nil {
			p.Outcome, p.Reasoning, p.Result = wire.String(r.Outcome), wire.String(r.Reasoning), r.Data
		}
		b.CompletedPayload = p
	}
}

func workflowUpdates(in []sim.WorkflowUpdate) []wire.WorkflowUpdate {
	out := make([]wire.WorkflowUpdate, len(in))
	for i, u := range in {
		out[i].UpdateType = u.UpdateType
		if u.NodeID != "" {
			out[i].NodeDetails = &wire.NodeDetails{NodeID: u.NodeID, NodeName: u.NodeName, NodeType: u.NodeType}
		}
		if u.TransitionID != "" {
			out[i].TransitionDetails = &wire.TransitionDetails{TransitionID: u.TransitionID, TransitionType: u.TransitionType}
		}
		if u.Rules != "" {
			out[i].RulesDetails, _ = json.Marshal(map[string]string{"rules": u.Rules})
		}
	}
	return out
}
