package asteroid

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// activityCase is one payload body and what the feed must show for it.
type activityCase struct {
	name string
	typ  string
	body wire.Body
	want api.Activity // ID, ExecutionID, Time and Raw are not compared
}

func intp(n int64) *wire.Int { v := wire.Int(n); return &v }

// activityCases covers all 14 activity types (several sub-cases for
// status_changed, actions and files), the graph_updated alias and unknown
// types.
func activityCases() []activityCase {
	workflow, _ := json.Marshal([]wire.WorkflowUpdate{
		{UpdateType: "add", NodeDetails: &wire.NodeDetails{NodeID: "n1", NodeName: "Login", NodeType: "ai_task"}},
		{UpdateType: "delete", TransitionDetails: &wire.TransitionDetails{TransitionID: "t1", TransitionType: "selector"}},
		{UpdateType: "edit", RulesDetails: json.RawMessage(`{"rules":"be nice"}`)},
	})
	sys, agent, user := api.ActorSystem, api.ActorAgent, api.ActorUser
	return []activityCase{
		{"terminal", wire.TypeTerminal, wire.Body{Reason: "complete"},
			api.Activity{Kind: api.KindTerminal, Actor: sys, Text: "feed ended (complete)"}},
		{"terminal with message", wire.TypeTerminal, wire.Body{Reason: "error", Message: "stream\nlost"},
			api.Activity{Kind: api.KindTerminal, Actor: sys, Text: "feed ended (error): stream lost"}},
		{"generic", wire.TypeGeneric, wire.Body{Message: "  Browser   session\n started "},
			api.Activity{Kind: api.KindGeneric, Actor: sys, Text: "Browser session started"}},
		{"reasoning", wire.TypeReasoning, wire.Body{Reasoning: "The form has two steps.\n\n  First I log in,\tthen I upload."},
			api.Activity{Kind: api.KindReasoning, Actor: agent, Text: "The form has two steps. First I log in, then I upload.",
				Message: "The form has two steps.\n\n  First I log in,\tthen I upload."}},
		{"step started", wire.TypeStepStarted, wire.Body{StepNumber: intp(3)},
			api.Activity{Kind: api.KindStepStarted, Actor: sys, Text: "step 3 started"}},
		{"step completed", wire.TypeStepCompleted, wire.Body{StepNumber: intp(3)},
			api.Activity{Kind: api.KindStepCompleted, Actor: sys, Text: "step 3 completed"}},
		{"transitioned node", wire.TypeTransitionedNode, wire.Body{NewNodeUUID: "n1", NewNodeName: "Login", NewNodeType: "ai_task", FromNodeDuration: intp(1234), TransitionType: "iris"},
			api.Activity{Kind: api.KindTransitionedNode, Actor: sys, Text: "entered node Login (ai_task)"}},
		{"status paused by agent", wire.TypeStatusChanged, wire.Body{Status: "paused_by_agent", PausedPayload: &wire.ReasonPayload{Reason: "Which of the two accounts should I use?"}},
			api.Activity{Kind: api.KindStatusChanged, Actor: sys, Status: api.StatusPausedByAgent, Reason: "Which of the two accounts should I use?",
				Text: "status → paused_by_agent: Which of the two accounts should I use?"}},
		{"status failed", wire.TypeStatusChanged, wire.Body{Status: "failed", FailedPayload: &wire.FailedPayload{Reason: "browser crashed", OSError: &wire.OSError{Message: "out of memory"}}},
			api.Activity{Kind: api.KindStatusChanged, Actor: sys, Status: api.StatusFailed, Reason: "browser crashed: out of memory",
				Text: "status → failed: browser crashed: out of memory"}},
		{"status cancelled", wire.TypeStatusChanged, wire.Body{Status: "cancelled", CancelledPayload: &wire.ReasonPayload{Reason: "max_steps"}},
			api.Activity{Kind: api.KindStatusChanged, Actor: sys, Status: api.StatusCancelled, Reason: "max_steps", Text: "status → cancelled: max_steps"}},
		{"status awaiting confirmation", wire.TypeStatusChanged, wire.Body{Status: "awaiting_confirmation", AwaitingConfirmationPayload: &wire.ReasonPayload{Reason: "About to pay 120 EUR"}},
			api.Activity{Kind: api.KindStatusChanged, Actor: sys, Status: api.StatusAwaitingConfirmation, Reason: "About to pay 120 EUR",
				Text: "status → awaiting_confirmation: About to pay 120 EUR"}},
		{"status completed", wire.TypeStatusChanged, wire.Body{Status: "completed", CompletedPayload: &wire.CompletedPayload{Outcome: "success", Reasoning: "Invoice\nuploaded.", Result: json.RawMessage(`{"n":1}`)}},
			api.Activity{Kind: api.KindStatusChanged, Actor: sys, Status: api.StatusCompleted, Reason: "success — Invoice\nuploaded.",
				Text: "status → completed: success — Invoice uploaded."}},
		{"status running", wire.TypeStatusChanged, wire.Body{Status: "running"},
			api.Activity{Kind: api.KindStatusChanged, Actor: sys, Status: api.StatusRunning, Text: "status → running"}},
		{"action started with message", wire.TypeActionStarted, wire.Body{ActionName: "nav_to", ActionID: "a1", Message: "Navigating to https://example.com"},
			api.Activity{Kind: api.KindActionStarted, Actor: agent, ActionName: "nav_to", Text: "Navigating to https://example.com", Message: "Navigating to https://example.com"}},
		{"action started, flat info", wire.TypeActionStarted, wire.Body{ActionName: "nav_to", Info: json.RawMessage(`{"actionName":"nav_to","url":"https://example.com/a"}`)},
			api.Activity{Kind: api.KindActionStarted, Actor: agent, ActionName: "nav_to", Text: "navigate https://example.com/a"}},
		{"action started, nested info", wire.TypeActionStarted, wire.Body{Info: json.RawMessage(`{"actionName":"go_to_url","info":{"url":"https://example.com/b"}}`)},
			api.Activity{Kind: api.KindActionStarted, Actor: agent, ActionName: "go_to_url", Text: "navigate https://example.com/b"}},
		{"action started, unknown name", wire.TypeActionStarted, wire.Body{ActionName: "teleport"},
			api.Activity{Kind: api.KindActionStarted, Actor: agent, ActionName: "teleport", Text: "teleport"}},
		{"agent message, new name", wire.TypeActionStarted, wire.Body{ActionName: wire.ActionSendUserMessage, Message: "Which account\nshould I use?\n\n1. A\n2. B"},
			api.Activity{Kind: api.KindActionStarted, Actor: agent, ActionName: "util_send_user_message", AgentMessage: true,
				Text: "Which account should I use? 1. A 2. B", Message: "Which account\nshould I use?\n\n1. A\n2. B"}},
		{"agent message, old name", wire.TypeActionCompleted, wire.Body{ActionName: wire.ActionSendUserMessageOld, Message: "Need the OTP code."},
			api.Activity{Kind: api.KindActionCompleted, Actor: agent, ActionName: "send_user_message", AgentMessage: true,
				Text: "Need the OTP code.", Message: "Need the OTP code."}},
		{"action completed", wire.TypeActionCompleted, wire.Body{ActionName: "browser_click", Duration: intp(350)},
			api.Activity{Kind: api.KindActionCompleted, Actor: agent, ActionName: "browser_click", Text: "click done"}},
		{"action failed", wire.TypeActionFailed, wire.Body{ActionName: "element_click"},
			api.Activity{Kind: api.KindActionFailed, Actor: agent, ActionName: "element_click", Text: "click failed"}},
		{"action failed with message", wire.TypeActionFailed, wire.Body{ActionName: "element_click", Message: "Element #submit\nnot found"},
			api.Activity{Kind: api.KindActionFailed, Actor: agent, ActionName: "element_click", Text: "Element #submit not found", Message: "Element #submit\nnot found"}},
		{"user message", wire.TypeUserMessage, wire.Body{Message: "Use account B.\nThanks!", UserUUID: "u1"},
			api.Activity{Kind: api.KindUserMessage, Actor: user, Text: "Use account B. Thanks!", Message: "Use account B.\nThanks!"}},
		{"file downloaded", wire.TypeFileAdded, wire.Body{FileID: "f1", FileName: "invoice.pdf", MimeType: "application/pdf", FileSize: intp(2048), Source: "download", PresignedURL: "https://s3/x"},
			api.Activity{Kind: api.KindFileAdded, Actor: agent, Text: "downloaded invoice.pdf (2.0 KB)"}},
		{"file uploaded", wire.TypeFileAdded, wire.Body{FileID: "f2", FileName: "input.csv", FileSize: intp(100), Source: "upload"},
			api.Activity{Kind: api.KindFileAdded, Actor: user, Text: "uploaded input.csv (100 B)"}},
		{"workflow updated", wire.TypeWorkflowUpdated, wire.Body{WorkflowUpdate: workflow},
			api.Activity{Kind: api.KindWorkflowUpdated, Actor: sys, Text: "workflow updated: added node Login, deleted selector transition, edited rules"}},
		{"graph updated alias", wire.TypeGraphUpdatedAlias, wire.Body{GraphUpdate: workflow},
			api.Activity{Kind: api.KindWorkflowUpdated, Actor: sys, Text: "workflow updated: added node Login, deleted selector transition, edited rules"}},
		{"script generated", wire.TypeScriptGenerated, wire.Body{NodeID: "n2", NodeName: "Checkout", Script: "await page.click('#buy')"},
			api.Activity{Kind: api.KindScriptGenerated, Actor: agent, Text: "generated a Playwright script for Checkout"}},
		{"unknown type with message", "browser_session_started", wire.Body{Message: "Session\nready"},
			api.Activity{Kind: "browser_session_started", Actor: sys, Text: "Session ready"}},
		{"unknown type without message", "vault_item_used", wire.Body{},
			api.Activity{Kind: "vault_item_used", Actor: sys, Text: "vault_item_used"}},
	}
}

func TestActivitiesBothGenerationsAllTypes(t *testing.T) {
	cases := activityCases()
	covered := map[api.ActivityKind]bool{}
	for _, tc := range cases {
		covered[tc.want.Kind] = true
	}
	for _, k := range api.KnownActivityKinds {
		assert.True(t, covered[k], "no case for %s", k)
	}

	for _, shape := range []struct {
		name  string
		shape wire.PayloadShape
	}{{"flat", wire.ShapeFlat}, {"envelope", wire.ShapeEnvelope}} {
		t.Run(shape.name, func(t *testing.T) {
			base := time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)
			var items []wire.Activity
			for i, tc := range cases {
				p, err := wire.EncodePayload(tc.typ, tc.body, shape.shape)
				require.NoError(t, err)
				items = append(items, wire.Activity{ID: fmt.Sprintf("act-%d", i), ExecutionID: "e1", Timestamp: wire.T(base.Add(time.Duration(i) * time.Second)), Payload: p})
			}
			page, err := json.Marshal(items)
			require.NoError(t, err)
			f := newFake(t)
			f.json("GET /agents/v2/executions/{id}/activities", string(page))

			got, err := f.client().Activities(context.Background(), "e1", api.ActivityQuery{})
			require.NoError(t, err)
			require.Len(t, got, len(cases))
			for i, tc := range cases {
				a := got[i]
				assert.Equal(t, fmt.Sprintf("act-%d", i), a.ID, tc.name)
				assert.Equal(t, "e1", a.ExecutionID, tc.name)
				assert.True(t, a.Time.Equal(base.Add(time.Duration(i)*time.Second)), tc.name)
				assert.NotEmpty(t, a.Raw, tc.name)
				a.ID, a.ExecutionID, a.Time, a.Raw = "", "", time.Time{}, nil
				assert.Equal(t, tc.want, a, tc.name)
				assert.NotContains(t, a.Text, "\n", tc.name)
			}
		})
	}
}

func TestActivityFromWireMatchesTheClient(t *testing.T) {
	for _, tc := range activityCases() {
		p, err := wire.EncodePayload(tc.typ, tc.body, wire.ShapeFlat)
		require.NoError(t, err)
		a := ActivityFromWire(wire.Activity{ID: "x", Payload: p})
		assert.Equal(t, tc.want.Kind, a.Kind, tc.name)
		assert.Equal(t, tc.want.Text, a.Text, tc.name)
		assert.Contains(t, string(a.Raw), `"id":"x"`, tc.name)
	}
}

func TestActivitiesQuery(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}/activities", `[]`)
	c := f.client()

	got, err := c.Activities(context.Background(), "e1", api.ActivityQuery{Order: api.SortDesc, Limit: 20})
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.NotNil(t, got)
	assert.Equal(t, url.Values{"order": {"desc"}, "limit": {"20"}}, f.last().Query)

	_, err = c.Activities(context.Background(), "e1", api.ActivityQuery{})
	require.NoError(t, err)
	assert.Empty(t, f.last().Query, "order and limit are the server's default when unset")
}

func TestActivitiesReplayTheDocsExamples(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}/activities", fixture(t, "activities_flat.json"))
	got, err := f.client().Activities(context.Background(), "5f81…", api.ActivityQuery{})
	require.NoError(t, err)
	require.Len(t, got, 3)

	assert.Equal(t, "7b0c…", got[0].ID)
	assert.Equal(t, "5f81…", got[0].ExecutionID)
	assert.True(t, got[0].Time.Equal(time.Date(2025, 12, 10, 12, 0, 5, 0, time.UTC)))
	assert.Equal(t, api.KindActionStarted, got[0].Kind)
	assert.Equal(t, "nav_to", got[0].ActionName)
	assert.Equal(t, "Navigating to https://example.com", got[0].Text)
	assert.Equal(t, api.ActorAgent, got[0].Actor)

	assert.Equal(t, api.KindStatusChanged, got[1].Kind)
	assert.Equal(t, api.StatusPausedByAgent, got[1].Status)
	assert.Equal(t, "…", got[1].Reason)

	assert.Equal(t, api.KindUserMessage, got[2].Kind)
	assert.Equal(t, api.ActorUser, got[2].Actor)
	assert.Equal(t, "Use account B", got[2].Message)
	assert.Contains(t, string(got[2].Raw), `"userUUID": "9c1e…"`, "Raw is the item as received")

	// The envelope form of the first item's payload.
	env := fixture(t, "activity_envelope_payload.json")
	a := ActivityFromWire(wire.Activity{ID: "7b0c…", Payload: json.RawMessage(env)})
	assert.Equal(t, api.KindActionStarted, a.Kind)
	assert.Equal(t, "go_to_url", a.ActionName)
	assert.Equal(t, "Navigating to https://example.com", a.Text)
	assert.Equal(t, api.ActorAgent, a.Actor)

	// The other flat bodies of §5.3.
	var others []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(fixture(t, "payloads_flat_other.json")), &others))
	want := []struct {
		kind   api.ActivityKind
		actor  api.Actor
		text   string
		status api.Status
		reason string
	}{
		{api.KindTransitionedNode, api.ActorSystem, "entered node Login (ai_task)", "", ""},
		{api.KindReasoning, api.ActorAgent, "…", "", ""},
		{api.KindFileAdded, api.ActorAgent, "downloaded invoice.pdf (2.0 KB)", "", ""},
		{api.KindStatusChanged, api.ActorSystem, "status → completed: success — …", api.StatusCompleted, "success — …"},
	}
	require.Len(t, others, len(want))
	for i, p := range others {
		a := ActivityFromWire(wire.Activity{Payload: p})
		assert.Equal(t, want[i].kind, a.Kind)
		assert.Equal(t, want[i].actor, a.Actor)
		assert.Equal(t, want[i].text, a.Text)
		assert.Equal(t, want[i].status, a.Status)
		assert.Equal(t, want[i].reason, a.Reason)
	}
}

func TestABadItemDoesNotFailThePage(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}/activities", `[
		{"id":"a1","executionId":"e1","timestamp":"2025-12-10T12:00:00Z","payload":{"activityType":"step_started","stepNumber":1}},
		{"id":"a2","executionId":"e1","timestamp":"2025-12-10T12:00:01Z","payload":{"activityType":"step_completed","stepNumber":"one"}},
		{"id":"a3","executionId":"e1","timestamp":"2025-12-10T12:00:02Z","payload":["not","an","object"]},
		42,
		{"id":"a5","executionId":"e1","timestamp":"yesterday","payload":{"activityType":"generic","message":"still here"}},
		{"id":"a6","executionId":"e1","timestamp":"2025-12-10T12:00:03Z"},
		{"id":"a7","executionId":"e1","timestamp":"2025-12-10T12:00:04Z","payload":{"activityType":"reasoning","data":"not an object","reasoning":"flat after all"}}
	]`)
	got, err := f.client().Activities(context.Background(), "e1", api.ActivityQuery{})
	require.NoError(t, err)
	require.Len(t, got, 7)

	assert.Equal(t, "step 1 started", got[0].Text)

	assert.Equal(t, "a2", got[1].ID)
	assert.Equal(t, api.KindGeneric, got[1].Kind)
	assert.Equal(t, "unreadable step_completed payload", got[1].Text)
	assert.True(t, got[1].Time.Equal(time.Date(2025, 12, 10, 12, 0, 1, 0, time.UTC)))

	assert.Equal(t, "a3", got[2].ID)
	assert.Equal(t, api.KindGeneric, got[2].Kind)
	assert.Equal(t, "unreadable activity payload", got[2].Text)

	assert.Equal(t, api.KindGeneric, got[3].Kind)
	assert.Equal(t, "unreadable activity", got[3].Text)
	assert.JSONEq(t, `42`, string(got[3].Raw))

	assert.Equal(t, "a5", got[4].ID)
	assert.Equal(t, "still here", got[4].Text)
	assert.True(t, got[4].Time.IsZero(), "an unreadable timestamp is left zero")

	assert.Equal(t, api.KindGeneric, got[5].Kind, "a missing payload")
	assert.Equal(t, "activity", got[5].Text)

	assert.Equal(t, api.KindReasoning, got[6].Kind)
	assert.Equal(t, "flat after all", got[6].Text)
}

func TestAgentMessageFeedsTheInteraction(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}/activities", `[
		{"id":"a3","timestamp":"2025-12-10T12:00:09Z","payload":{"activityType":"status_changed","status":"paused_by_agent","pausedPayload":{"reason":"waiting"}}},
		{"id":"a2","timestamp":"2025-12-10T12:00:08Z","payload":{"activityType":"action_started","data":{"actionName":"send_user_message","message":"Which invoice\nshould I pay?"}}},
		{"id":"a1","timestamp":"2025-12-10T12:00:05Z","payload":{"activityType":"action_started","actionName":"nav_to","message":"Navigating"}}
	]`)
	acts, err := f.client().Activities(context.Background(), "e1", api.ActivityQuery{Order: api.SortDesc, Limit: 20})
	require.NoError(t, err)
	req := api.DeriveInteraction(api.Execution{ID: "e1", Status: api.StatusPausedByAgent}, acts, time.Now())
	assert.Equal(t, "Which invoice\nshould I pay?", req.Question)
	assert.Equal(t, "a2", req.ActivityID)
	assert.False(t, req.Fallback)
}

// The action names of both generations (reference §2.3).
var (
	actionNamesCurrent = strings.Fields(`element_click element_type element_select element_hover element_drag element_wait element_fill_form element_get_text element_file_upload coord_move coord_click coord_double_click coord_drag coord_scroll nav_to nav_back nav_refresh nav_tabs nav_close_browser nav_resize_browser nav_install_browser nav_zoom_in nav_zoom_out obs_snapshot obs_snapshot_with_selectors obs_screenshot obs_console_messages obs_network_requests obs_extract_html script_eval script_playwright script_playwright_llm_vars script_hybrid_playwright browser_press_key browser_handle_dialog browser_read_clipboard file_list file_read file_stage file_download file_pdf_save scratchpad_read scratchpad_write scriptpad_run_function scriptpad_search_replace scriptpad_read scriptpad_write ext_google_sheets_get_data ext_google_sheets_set_value ext_get_mail ext_api_call util_wait_time util_get_datetime util_generate_totp_secret util_send_user_message agent_query_context agent_compile_workflow llm_call`)
	actionNamesOld     = strings.Fields(`browser_navigate browser_navigate_back browser_click browser_type browser_select_option browser_wait_for browser_hover browser_drag browser_handle_dialog browser_press_key browser_take_screenshot browser_snapshot browser_evaluate browser_mouse_move_xy browser_mouse_click_xy browser_mouse_drag_xy browser_file_upload browser_tabs browser_console_messages browser_fill_form click double_click type move drag scroll screenshot keypress wait go_to_url get_text get_mail refresh_page read_clipboard list_files read_files send_user_message zoom_in zoom_out read_scratchpad write_scratchpad upload_file download_file get_execution_file upload_local_file google_sheets_get_data google_sheets_set_value generate_totp_secret get_datetime text_output reasoning url api_call playwright_script hybrid_playwright scriptpad_run_function scriptpad_read scriptpad_search_replace browser_snapshot_with_selectors`)
)

func TestEveryKnownActionHasALabel(t *testing.T) {
	require.Len(t, actionNamesCurrent, 58)
	require.Len(t, actionNamesOld, 59)
	for _, name := range append(actionNamesCurrent, actionNamesOld...) {
		label, ok := actionLabels[name]
		assert.True(t, ok, "no label for %s", name)
		assert.NotContains(t, label, "_", name)
	}
	for _, name := range []string{"nav_to", "go_to_url", "browser_navigate"} {
		assert.Equal(t, "navigate", actionLabel(name))
	}
	for _, name := range []string{"element_click", "click", "browser_click"} {
		assert.Equal(t, "click", actionLabel(name))
	}
	assert.Equal(t, "message to user", actionLabel("util_send_user_message"))
	assert.Equal(t, "warp_drive", actionLabel("warp_drive"))
	assert.Equal(t, "action", actionLabel(""))
}

func TestActivityTextFallbacks(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		body wire.Body
		want string
	}{
		{wire.TypeStepStarted, wire.Body{}, "step started"},
		{wire.TypeTransitionedNode, wire.Body{}, "moved to the next node"},
		{wire.TypeTransitionedNode, wire.Body{NewNodeUUID: "n-7"}, "entered node n-7"},
		{wire.TypeFileAdded, wire.Body{FileName: "big.zip", FileSize: intp(5 << 20), Source: "sync"}, "file added: big.zip (5.0 MB)"},
		{wire.TypeFileAdded, wire.Body{}, "file added: a file"},
		{wire.TypeWorkflowUpdated, wire.Body{}, "workflow updated"},
		{wire.TypeWorkflowUpdated, wire.Body{WorkflowUpdate: json.RawMessage(`[{"updateType":"add"},{"updateType":"add"},{"updateType":"add"},{"updateType":"move"},{"updateType":"add"}]`)},
			"workflow updated: added rules, added rules, added rules, 2 more"},
		{wire.TypeScriptGenerated, wire.Body{}, "generated a Playwright script"},
		{wire.TypeReasoning, wire.Body{}, "reasoning"},
		{wire.TypeUserMessage, wire.Body{}, "user message"},
		{wire.TypeStatusChanged, wire.Body{}, "status → unknown"},
		{wire.TypeActionStarted, wire.Body{}, "action"},
	} {
		p, err := wire.EncodePayload(tc.typ, tc.body, wire.ShapeFlat)
		require.NoError(t, err)
		assert.Equal(t, tc.want, ActivityFromWire(wire.Activity{Payload: p}).Text, tc.typ)
	}
}
