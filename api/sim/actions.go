package sim

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// ActionSendUserMessage is the action that carries an agent's question to a
// human (PY-Dec25 name).
const ActionSendUserMessage = "util_send_user_message"

// action is an action template. Names are the PY-Dec25 action names.
type action struct {
	name        string
	start, done string // messages; may hold {vars}
	startDetail map[string]any
	doneDetail  map[string]any
	took        [2]int   // how long it takes, min and max ms
	fail        *failure // set by risky: the execution may break here
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// risky marks a as a point where a failing execution breaks, with the
// action_failed message and the failure reason (and optionally the OS error).
func (a action) risky(message, reason string, osError ...string) action {
	f := failure{message: message, reason: reason}
	if len(osError) > 0 {
		f.osError = osError[0]
	}
	a.fail = &f
	return a
}

func nav(url, title string) action {
	return action{name: "nav_to", took: [2]int{900, 4500},
		start: "Navigating to " + url, done: "Page loaded: " + title,
		startDetail: map[string]any{"url": url}, doneDetail: map[string]any{"pageTitle": title}}
}

func click(what string) action {
	return action{name: "element_click", took: [2]int{150, 900},
		start: "Clicking " + what, done: "Clicked " + what}
}

// typeIn types text into a field; shown is how the text is described in
// the log (a password is never shown).
func typeIn(field, shown string) action {
	return action{name: "element_type", took: [2]int{300, 1800},
		start: "Typing into " + field, done: "Entered " + shown + " into " + field}
}

func choose(field, value string) action {
	return action{name: "element_select", took: [2]int{200, 900},
		start: fmt.Sprintf("Selecting %q in %s", value, field), done: fmt.Sprintf("Selected %q in %s", value, field)}
}

func fillForm(form string, fields int) action {
	return action{name: "element_fill_form", took: [2]int{1500, 6000},
		start: fmt.Sprintf("Filling %d fields of %s", fields, form), done: fmt.Sprintf("Filled %s (%d fields)", form, fields)}
}

func waitFor(what string) action {
	return action{name: "element_wait", took: [2]int{500, 4000},
		start: "Waiting for " + what, done: upperFirst(what) + " is visible"}
}

func snapshot(what string) action {
	return action{name: "obs_snapshot", took: [2]int{300, 1500},
		start: "Taking a snapshot of the page", done: what}
}

func readText(what, text string) action {
	return action{name: "element_get_text", took: [2]int{150, 700},
		start: "Reading " + what, done: "Read " + what + ": " + text}
}

func pressKey(key, why string) action {
	return action{name: "browser_press_key", took: [2]int{80, 300},
		start: "Pressing " + key + " " + why, done: "Pressed " + key}
}

func upload(field string, files ...string) action {
	return action{name: "element_file_upload", took: [2]int{800, 3000},
		start: "Uploading " + fmt.Sprint(files) + " via " + field, done: "Uploaded " + fmt.Sprint(len(files)) + " file(s)",
		doneDetail: map[string]any{"fileNames": files}}
}

// note writes to the agent's scratchpad.
func note(text string, lines int) action {
	return action{name: "scratchpad_write", took: [2]int{100, 500},
		start: "Writing to scratchpad", done: "Scratchpad updated: " + text,
		startDetail: map[string]any{"operation": "write"},
		doneDetail:  map[string]any{"linesChanged": lines, "patchesApplied": 1, "totalLines": 6 + lines}}
}

// recall reads the agent's scratchpad.
func recall(content string) action {
	return action{name: "scratchpad_read", took: [2]int{80, 300},
		start: "Reading scratchpad", done: "Read scratchpad",
		startDetail: map[string]any{"operation": "read"},
		doneDetail:  map[string]any{"content": content, "contentTruncated": false}}
}

// decide is an LLM call that picks the next action.
func decide(what string) action {
	return action{name: "llm_call", took: [2]int{900, 3500},
		start: "Asking the model " + what, done: "Model answered",
		startDetail: map[string]any{"purpose": "iris_pick_next_action"}}
}

func apiCall(method, url, status, body string) action {
	return action{name: "ext_api_call", took: [2]int{200, 1500},
		start: method + " " + url, done: fmt.Sprintf("%s %s → %s", method, url, status),
		doneDetail: map[string]any{"statusCode": status, "responseBody": body, "requestMethod": method, "requestUrl": url}}
}

func readMail(query string, count int, subject string) action {
	return action{name: "ext_get_mail", took: [2]int{700, 2500},
		start: "Searching the mailbox for " + query, done: fmt.Sprintf("Found %d matching email(s)", count),
		doneDetail: map[string]any{"emailCount": count, "emails": []any{map[string]any{"subject": subject}}}}
}

func sheetWrite(sheet, cells string, rows int) action {
	return action{name: "ext_google_sheets_set_value", took: [2]int{600, 2200},
		start: fmt.Sprintf("Writing %d row(s) to %s!%s", rows, sheet, cells), done: "Sheet " + sheet + " updated"}
}

func sheetRead(sheet, cells string, rows int) action {
	return action{name: "ext_google_sheets_get_data", took: [2]int{400, 1600},
		start: fmt.Sprintf("Reading %s!%s", sheet, cells), done: fmt.Sprintf("Read %d row(s) from %s", rows, sheet)}
}

func totp(credential string) action {
	return action{name: "util_generate_totp_secret", took: [2]int{50, 200},
		start: "Generating a one-time code from credential " + credential, done: "One-time code generated"}
}

func listFiles(files ...string) action {
	return action{name: "file_list", took: [2]int{50, 250},
		start: "Listing /home/agent/uploads", done: fmt.Sprintf("%d file(s) available", len(files)),
		doneDetail: map[string]any{"fileNames": files}}
}

func readFiles(bytes int, files ...string) action {
	return action{name: "file_read", took: [2]int{200, 1200},
		start: "Reading " + fmt.Sprint(files), done: fmt.Sprintf("Read %d file(s), %d bytes", len(files), bytes),
		doneDetail: map[string]any{"fileNames": files, "totalSizeBytes": bytes}}
}

func savePDF(name string) action {
	return action{name: "file_pdf_save", took: [2]int{800, 2500},
		start: "Printing the page to " + name, done: "Saved " + name}
}

func runScript(what string, logs ...string) action {
	return action{name: "script_playwright", took: [2]int{1500, 7000},
		start: "Running the generated script for " + what, done: "Script finished: " + what,
		startDetail: map[string]any{"llmVars": []string{}},
		doneDetail:  map[string]any{"consoleLogs": logs, "result": "ok", "success": true}}
}
