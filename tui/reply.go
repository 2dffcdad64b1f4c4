package tui

import (
	"context"
	"maps"
	"math"
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
	// before holds the operator messages already in the feed when this one
	// was sent: an identical earlier answer ("yes") is not its echo.
	before map[string]bool
	// echoSeen: the echo arrived while the request was still in flight.
	echoSeen bool
	// checkThenSend: restored after a restart mid-send; enter looks for the
	// echo first and sends only if it is not there.
	checkThenSend bool
}

// replyState is the reply box: one textarea whose content is the draft of
// the execution it shows; drafts of the others wait in the map and on disk.
type replyState struct {
	ta       textarea.Model
	execID   string // whose draft the textarea holds
	drafts   map[string]drafts.Draft
	store    *drafts.Store
	saveOff  bool   // the drafts file could not be read: never overwrite it
	saveGen  uint64 // debounce generation
	saveVer  uint64 // version of the last save started
	sends    map[string]*sendState
	attempt  uint64
	userSeen map[string]map[string]bool // execution → operator messages seen in its feed
}

// replyTimeout bounds one send; past it the outcome is unknown.
const replyTimeout = 20 * time.Second

// echoLinger is how long the reply pane keeps showing a delivered reply.
const echoLinger = 15 * time.Second

func (r *replyState) init(store *drafts.Store, keys *KeyMap, st *theme.Styles) {
	r.store = store
	r.drafts = map[string]drafts.Draft{}
	r.sends = map[string]*sendState{}
	r.userSeen = map[string]map[string]bool{}
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

// onLoaded merges the saved drafts (what was typed since start wins). A
// draft that was being sent when agentop stopped may have been delivered:
// it is marked so that enter checks the feed before sending it again. A
// file that cannot be read is left alone: nothing is saved over it.
func (m *Model) onDraftsLoaded(msg draftsLoadedMsg) {
	r := &m.reply
	if msg.err != nil {
		r.saveOff = true
		m.setFlash(flashErr, "Saved drafts could not be read ("+errText(msg.err)+"); the file is left as it is and new drafts are not saved.")
	}
	for id, d := range msg.drafts {
		if _, typed := r.drafts[id]; typed {
			continue
		}
		r.drafts[id] = d
		if !d.SentAt.IsZero() {
			r.sends[id] = &sendState{phase: phaseUnsure, text: strings.TrimSpace(d.Text), at: d.SentAt, checkThenSend: true}
		}
	}
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
		r.drafts[r.execID] = drafts.Draft{Text: v, Updated: now} // an edit is a new message: not "being sent"
	}
	return r.scheduleSave()
}

// scheduleSave saves the drafts after a short quiet period.
func (r *replyState) scheduleSave() tea.Cmd {
	if r.store == nil || r.saveOff {
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

// saveNow writes a copy of the drafts in a Cmd; saves are versioned, so
// they land in the order they were started.
func (r *replyState) saveNow() tea.Cmd {
	if r.store == nil || r.saveOff {
		return nil
	}
	snapshot := make(map[string]drafts.Draft, len(r.drafts))
	for k, v := range r.drafts {
		snapshot[k] = v
	}
	r.saveVer++
	store, ver := r.store, r.saveVer
	return func() tea.Msg { return draftsSavedMsg{err: store.Save(ver, snapshot)} }
}

// SaveDrafts writes the drafts now, after the program has ended (its last
// word over any save still in flight).
func (m *Model) SaveDrafts() error {
	r := &m.reply
	if r.saveOff {
		return nil
	}
	return r.store.Save(math.MaxUint64, r.drafts)
}

// DraftStore is where drafts are kept.
func (m *Model) DraftStore() *drafts.Store { return m.reply.store }

// show puts an execution's draft in the textarea, when the box takes the
// keyboard (SetValue is costly; the pane draws an unfocused draft itself).
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
	execID        string
	attempt       uint64
	found         bool
	err           error
	sendIfMissing bool
}

// send starts sending the textarea's content to execution id.
func (m *Model) send(id string) tea.Cmd {
	r := &m.reply
	text := strings.TrimSpace(r.ta.Value())
	if text == "" {
		m.setFlash(flashWarn, "Type an answer first.")
		return nil
	}
	prev := r.sends[id]
	if prev != nil && (prev.phase == phaseSending || prev.phase == phaseChecking) {
		return nil // one at a time: never a double send
	}
	r.attempt++
	if prev != nil && prev.checkThenSend && prev.text == text {
		// It may have gone out before agentop stopped: look first.
		prev.phase, prev.attempt, prev.checkThenSend = phaseChecking, r.attempt, false
		return m.checkEcho(id, prev, true)
	}
	st := &sendState{phase: phaseSending, text: text, at: m.now, attempt: r.attempt, before: maps.Clone(r.userSeen[id])}
	r.sends[id] = st
	// Recorded on disk as being sent until the outcome is known.
	d := r.drafts[id]
	d.SentAt = m.now
	r.drafts[id] = d
	backend, ctx, attempt, at := m.opts.Backend, m.ctx, r.attempt, m.now
	save := r.saveNow()
	return tea.Batch(save, func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, replyTimeout)
		defer cancel()
		err := backend.Reply(c, id, text)
		return replyDoneMsg{execID: id, text: text, at: at, attempt: attempt, err: err}
	})
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
		return m.checkEcho(msg.execID, st, false)
	default:
		st.phase, st.err = phaseFailed, msg.err
		m.setFlash(flashErr, "Reply not sent: "+errText(msg.err))
		if d, ok := m.reply.drafts[msg.execID]; ok {
			d.SentAt = time.Time{} // refused: certainly not delivered
			m.reply.drafts[msg.execID] = d
		}
		return m.reply.saveNow()
	}
}

// checkEcho looks for the reply's echo among the newest activities. With
// sendIfMissing (a send interrupted by a restart) a missing echo means the
// reply is sent now.
func (m *Model) checkEcho(id string, st *sendState, sendIfMissing bool) tea.Cmd {
	backend, ctx, text, since, attempt, before := m.opts.Backend, m.ctx, st.text, st.at, st.attempt, st.before
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, replyTimeout)
		defer cancel()
		acts, err := backend.Activities(c, id, api.ActivityQuery{Order: api.SortDesc, Limit: 30})
		return replyCheckMsg{execID: id, attempt: attempt, found: err == nil && echoed(acts, text, since, before),
			err: err, sendIfMissing: sendIfMissing}
	}
}

// echoSkew allows for the platform's clock being behind ours.
const echoSkew = time.Minute

// echoed reports whether acts hold the echo of text sent at since: an
// operator message with that text, not among those seen before the send,
// and not older than the send (give or take the clocks' skew).
func echoed(acts []api.Activity, text string, since time.Time, before map[string]bool) bool {
	for _, a := range acts {
		if a.Kind != api.KindUserMessage || before[a.ID] || a.Time.Before(since.Add(-echoSkew)) {
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
	if msg.sendIfMissing && msg.err == nil {
		st.phase = phaseIdle
		return m.send(msg.execID)
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
	if st.echoSeen {
		st.phase = phaseEchoed
	}
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

// onFeedActivities notes the operator messages in newly arrived activities
// and, when one is the echo of a reply in progress, settles it: delivered,
// whatever the request's own answer said or will say.
func (m *Model) onFeedActivities(id string, acts []api.Activity) tea.Cmd {
	r := &m.reply
	st := r.sends[id]
	echo := st != nil && st.phase != phaseIdle && st.phase != phaseFailed && st.phase != phaseEchoed &&
		echoed(acts, st.text, st.at, st.before)
	for _, a := range acts {
		if a.Kind == api.KindUserMessage {
			if r.userSeen[id] == nil {
				r.userSeen[id] = map[string]bool{}
			}
			r.userSeen[id][a.ID] = true
		}
	}
	if !echo {
		return nil
	}
	st.echoSeen = true
	switch st.phase {
	case phaseSending:
		return nil // the request's answer settles it, as echoed
	case phaseSent:
		st.phase = phaseEchoed
		return nil
	}
	return m.replyDelivered(id, st) // checking or unsure: the echo is the answer
}

// --- visibility ------------------------------------------------------------

// replyTarget is the execution the reply pane is about: while the box has
// the keyboard, the one its draft is addressed to (never silently another);
// otherwise the selected one.
func (m *Model) replyTarget() (api.Execution, bool) {
	if m.focus == panePrompt && m.reply.execID != "" {
		if e, ok := m.snap.Get(m.reply.execID); ok {
			return e, true
		}
		return api.Execution{ID: m.reply.execID}, true
	}
	return m.selectedExec()
}

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
