package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/drafts"
	"github.com/agentop/agentop/tui/theme"
)

// sendPhase is where a reply stands.
type sendPhase int

const (
	phaseIdle     sendPhase = iota
	phaseSending            // the request is in flight
	phaseChecking           // it failed ambiguously: looking for its echo in the feed
	phaseUnsure             // no echo found: it may or may not have arrived
	phaseFailed             // the server refused it; the draft is intact
	phaseSent               // accepted; waiting for the echo
	phaseEchoed             // the echo (user_message_received) arrived
)

// sendState is one execution's reply status.
type sendState struct {
	phase   sendPhase
	text    string    // what was sent
	at      time.Time // when it was sent
	err     error
	attempt uint64
}

// replyState is the reply box: one textarea whose content is the draft of
// the execution it shows; drafts of the others wait in the map and on disk.
type replyState struct {
	ta      textarea.Model
	execID  string // whose draft the textarea holds
	drafts  map[string]drafts.Draft
	loaded  bool
	store   *drafts.Store
	saveGen uint64
	sends   map[string]*sendState
	attempt uint64
}

// replyTimeout bounds one send; past it the outcome is unknown.
const replyTimeout = 20 * time.Second

// echoLinger is how long the reply pane keeps showing a delivered reply.
const echoLinger = 15 * time.Second

func (r *replyState) init(store *drafts.Store, keys *KeyMap, st *theme.Styles) {
	r.store = store
	r.drafts = map[string]drafts.Draft{}
	r.sends = map[string]*sendState{}
	r.ta = textarea.New()
	r.ta.SetStyles(st.TextArea())
	r.ta.Placeholder = "Type your answer…"
	r.ta.ShowLineNumbers = false
	r.ta.Prompt = "┃ "
	r.ta.SetHeight(3)
	r.ta.CharLimit = 10000
	r.applyKeys(keys)
}

// applyKeys makes the textarea insert a newline on the Newline action's keys
// (Enter itself sends).
func (r *replyState) applyKeys(keys *KeyMap) {
	r.ta.KeyMap.InsertNewline.SetKeys(keys.Newline.Binding.Keys()...)
}

// --- drafts on disk --------------------------------------------------------

type draftsLoadedMsg struct {
	drafts map[string]drafts.Draft
	err    error
}

type draftSaveTick struct{ gen uint64 }

type draftsSavedMsg struct{ err error }

func (r *replyState) loadCmd(now time.Time) tea.Cmd {
	store := r.store
	return func() tea.Msg {
		d, err := store.Load(now)
		return draftsLoadedMsg{drafts: d, err: err}
	}
}

// onLoaded merges the saved drafts (what was typed since start wins).
func (r *replyState) onLoaded(msg draftsLoadedMsg, focusID string) {
	for id, d := range msg.drafts {
		if _, typed := r.drafts[id]; !typed {
			r.drafts[id] = d
		}
	}
	r.loaded = true
	if r.execID != "" && r.ta.Value() == "" {
		r.ta.SetValue(r.drafts[r.execID].Text)
	}
}

// changed records the textarea's content as the draft and schedules a save.
func (r *replyState) changed(now time.Time) tea.Cmd {
	if r.execID == "" {
		return nil
	}
	v := r.ta.Value()
	if r.drafts[r.execID].Text == v {
		return nil
	}
	if v == "" {
		delete(r.drafts, r.execID)
	} else {
		r.drafts[r.execID] = drafts.Draft{Text: v, Updated: now}
	}
	return r.scheduleSave()
}

// scheduleSave saves the drafts after a short quiet period.
func (r *replyState) scheduleSave() tea.Cmd {
	if r.store == nil {
		return nil
	}
	r.saveGen++
	gen := r.saveGen
	return tea.Tick(400*time.Millisecond, func(time.Time) tea.Msg { return draftSaveTick{gen: gen} })
}

func (r *replyState) onSaveTick(t draftSaveTick) tea.Cmd {
	if t.gen != r.saveGen {
		return nil // more typing came after: a later tick saves
	}
	return r.saveNow()
}

// saveNow writes a copy of the drafts in a Cmd.
func (r *replyState) saveNow() tea.Cmd {
	if r.store == nil {
		return nil
	}
	snapshot := make(map[string]drafts.Draft, len(r.drafts))
	for k, v := range r.drafts {
		snapshot[k] = v
	}
	store := r.store
	return func() tea.Msg { return draftsSavedMsg{err: store.Save(snapshot)} }
}

// Drafts returns the unsent drafts (for a final save when the program ends).
func (m *Model) Drafts() map[string]drafts.Draft { return m.reply.drafts }

// DraftStore is where drafts are kept.
func (m *Model) DraftStore() *drafts.Store { return m.reply.store }

// show puts an execution's draft in the textarea.
func (r *replyState) show(id string) {
	if id == r.execID {
		return
	}
	r.execID = id
	r.ta.SetValue(r.drafts[id].Text)
	r.ta.CursorEnd()
}

// --- sending ---------------------------------------------------------------

type replyDoneMsg struct {
	execID  string
	text    string
	at      time.Time
	attempt uint64
	err     error
}

type replyCheckMsg struct {
	execID  string
	attempt uint64
	found   bool
	err     error
}

// send starts sending the textarea's content to execution id.
func (m *Model) send(id string) tea.Cmd {
	r := &m.reply
	text := strings.TrimSpace(r.ta.Value())
	if text == "" {
		m.setFlash(flashWarn, "Type an answer first.")
		return nil
	}
	if s := r.sends[id]; s != nil && (s.phase == phaseSending || s.phase == phaseChecking) {
		return nil // one at a time: never a double send
	}
	r.attempt++
	st := &sendState{phase: phaseSending, text: text, at: m.now, attempt: r.attempt}
	r.sends[id] = st
	backend, ctx, attempt, at := m.opts.Backend, m.ctx, r.attempt, m.now
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, replyTimeout)
		defer cancel()
		err := backend.Reply(c, id, text)
		return replyDoneMsg{execID: id, text: text, at: at, attempt: attempt, err: err}
	}
}

// ambiguous reports whether a failed send may still have been delivered.
func ambiguous(err error) bool {
	switch api.KindOf(err) {
	case api.KindTimeout, api.KindNetwork, api.KindServer, api.KindDecode, api.KindUnknown, api.KindCanceled:
		return true
	}
	return false
}

func (m *Model) onReplyDone(msg replyDoneMsg) tea.Cmd {
	st := m.reply.sends[msg.execID]
	if st == nil || st.attempt != msg.attempt {
		return nil
	}
	switch {
	case msg.err == nil:
		return m.replyDelivered(msg.execID, st)
	case ambiguous(msg.err):
		st.phase, st.err = phaseChecking, msg.err
		return m.checkEcho(msg.execID, st)
	default:
		st.phase, st.err = phaseFailed, msg.err
		m.setFlash(flashErr, "Reply not sent: "+errText(msg.err))
		return nil
	}
}

// checkEcho looks for the reply's echo among the newest activities.
func (m *Model) checkEcho(id string, st *sendState) tea.Cmd {
	backend, ctx, text, since, attempt := m.opts.Backend, m.ctx, st.text, st.at, st.attempt
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, replyTimeout)
		defer cancel()
		acts, err := backend.Activities(c, id, api.ActivityQuery{Order: api.SortDesc, Limit: 30})
		return replyCheckMsg{execID: id, attempt: attempt, found: err == nil && echoed(acts, text, since), err: err}
	}
}

// echoed reports whether acts hold the echo of text sent at or after since
// (allowing for clock skew).
func echoed(acts []api.Activity, text string, since time.Time) bool {
	for _, a := range acts {
		if a.Kind != api.KindUserMessage || a.Time.Before(since.Add(-2*time.Minute)) {
			continue
		}
		if strings.TrimSpace(a.Message) == text || strings.TrimSpace(a.Text) == text {
			return true
		}
	}
	return false
}

func (m *Model) onReplyCheck(msg replyCheckMsg) tea.Cmd {
	st := m.reply.sends[msg.execID]
	if st == nil || st.attempt != msg.attempt || st.phase != phaseChecking {
		return nil
	}
	if msg.found {
		return m.replyDelivered(msg.execID, st)
	}
	st.phase = phaseUnsure
	m.setFlash(flashWarn, "The reply may not have arrived; press enter to send it again.")
	return nil
}

// replyDelivered clears the draft (unless it was edited meanwhile) and asks
// the poller to look again soon.
func (m *Model) replyDelivered(id string, st *sendState) tea.Cmd {
	r := &m.reply
	st.phase, st.err = phaseSent, nil
	var cmds []tea.Cmd
	if strings.TrimSpace(r.drafts[id].Text) == st.text {
		delete(r.drafts, id)
		if r.execID == id {
			r.ta.Reset()
		}
		cmds = append(cmds, r.saveNow())
	}
	m.setFlash(flashInfo, "Reply sent.")
	if m.focus == panePrompt && r.execID == id {
		m.focus = paneFeed
		r.ta.Blur()
	}
	cmds = append(cmds, m.nudge())
	return tea.Batch(cmds...)
}

// noteEcho marks a sent reply as echoed when its user_message_received
// activity arrives in the feed.
func (r *replyState) noteEcho(id string, acts []api.Activity) {
	st := r.sends[id]
	if st == nil || (st.phase != phaseSent && st.phase != phaseChecking && st.phase != phaseUnsure) {
		return
	}
	if echoed(acts, st.text, st.at) {
		st.phase = phaseEchoed
	}
}

// --- visibility ------------------------------------------------------------

// replyVisible reports whether the reply pane shows for execution e: it is
// waiting for a human, the operator opened the box, or a reply to it is in
// progress or just went out.
func (m *Model) replyVisible(e api.Execution) bool {
	if e.Status.NeedsHuman() || (m.focus == panePrompt && m.reply.execID == e.ID) {
		return true
	}
	if st := m.reply.sends[e.ID]; st != nil {
		switch st.phase {
		case phaseSending, phaseChecking, phaseFailed, phaseUnsure:
			return true
		case phaseSent, phaseEchoed:
			return m.now.Sub(st.at) < echoLinger // show the echo as the agent resumes
		}
	}
	return m.reply.drafts[e.ID].Text != ""
}
