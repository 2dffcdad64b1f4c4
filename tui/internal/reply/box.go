// Package reply is the reply box of the executions view: one textarea whose
// content is the draft of the execution it shows, the drafts of the others
// (kept on disk), and the phases of sending a reply, settled by its echo in
// the feed. Never lose what an operator typed.
package reply

import (
	"math"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/drafts"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
)

// Phase is where a reply stands.
type Phase int

// Phases.
const (
	Idle     Phase = iota
	Sending        // the request is in flight
	Checking       // it failed ambiguously: looking for its echo in the feed
	Unsure         // no echo found: it may or may not have arrived
	Failed         // the server refused it; the draft is intact
	Sent           // accepted; waiting for the echo
	Echoed         // the echo (user_message_received) arrived
)

// sendState is one execution's reply status.
type sendState struct {
	phase   Phase
	text    string    // what was sent
	at      time.Time // when it was sent
	err     error
	attempt uint64
	// before holds the operator messages already in the feed when this one
	// was sent: an identical earlier answer ("yes") is not its echo.
	before map[string]bool
	// echoSeen: the echo arrived while the request was still in flight.
	echoSeen bool
	// movedOn is the status the execution moved on to when a refused reply
	// found it no longer waiting ("completed"; "" while it still waits).
	movedOn string
	// checkThenSend: restored after a restart mid-send; enter looks for the
	// echo first and sends only if it is not there.
	checkThenSend bool
}

// Box is the reply box. Its owner (the executions view) gives it keys while
// it is focused, forwards the messages addressed to it, and learns through
// onLeave when the box gives the keyboard back.
type Box struct {
	ctx      *pane.Context
	owner    string // the view its results are addressed to
	onLeave  func()
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
	focused  bool

	// layout, from Layout
	target api.Execution
	w      int
	qLines int  // question lines
	taH    int  // text box lines
	gap    bool // a blank line between question and box
	h      int
}

// replyTimeout bounds one send; past it the outcome is unknown.
const replyTimeout = kit.Timeout

// echoLinger is how long the reply pane keeps showing a delivered reply.
const echoLinger = 15 * time.Second

// New returns the box; its results are addressed to owner, and onLeave is
// called (in Update) when it gives up the keyboard.
func New(ctx *pane.Context, owner string, onLeave func()) *Box {
	b := &Box{ctx: ctx, owner: owner, onLeave: onLeave, store: ctx.Drafts,
		drafts: map[string]drafts.Draft{}, sends: map[string]*sendState{}, userSeen: map[string]map[string]bool{}}
	b.ta = textarea.New()
	b.ta.SetStyles(ctx.Styles.TextArea())
	b.ta.Placeholder = "Type your answer…"
	b.ta.ShowLineNumbers = false
	b.ta.Prompt = "┃ "
	b.ta.SetHeight(3)
	b.ta.CharLimit = 10000
	b.Rebind()
	return b
}

// Rebind makes the textarea insert a newline on the Newline action's keys
// (Enter itself sends); call it after the keys are overridden.
func (b *Box) Rebind() {
	b.ta.KeyMap.InsertNewline.SetKeys(b.ctx.Keys.Newline.Binding.Keys()...)
}

// NewlineKeys are the keys that insert a newline.
func (b *Box) NewlineKeys() []string { return b.ta.KeyMap.InsertNewline.Keys() }

// Value is the text in the box.
func (b *Box) Value() string { return b.ta.Value() }

// ExecID is the execution whose draft the box holds.
func (b *Box) ExecID() string { return b.execID }

// Draft is the unsent text for an execution.
func (b *Box) Draft(id string) string { return b.drafts[id].Text }

// Drafts is how many drafts are kept.
func (b *Box) Drafts() int { return len(b.drafts) }

// Phase is where the reply to an execution stands.
func (b *Box) Phase(id string) Phase {
	if s := b.sends[id]; s != nil {
		return s.phase
	}
	return Idle
}

// Store is where drafts are kept.
func (b *Box) Store() *drafts.Store { return b.store }

// Focused reports whether the box has the keyboard.
func (b *Box) Focused() bool { return b.focused }

// Focus gives the box the keyboard for execution id, loading its draft.
func (b *Box) Focus(id string) tea.Cmd {
	if _, ro := b.readOnly(id); ro {
		return nil // nothing to type: the answer is given elsewhere
	}
	b.show(id)
	b.focused = true
	return b.ta.Focus()
}

// Blur takes the keyboard away (the draft is kept).
func (b *Box) Blur() {
	b.focused = false
	b.ta.Blur()
}

func (b *Box) leave() {
	b.Blur()
	if b.onLeave != nil {
		b.onLeave()
	}
}

// show puts an execution's draft in the textarea, when the box takes the
// keyboard (SetValue is costly; the pane draws an unfocused draft itself).
func (b *Box) show(id string) {
	if id == b.execID {
		return
	}
	b.execID = id
	b.ta.SetValue(b.drafts[id].Text)
	b.ta.CursorEnd()
}

// HandleKey takes every key while the box is focused.
func (b *Box) HandleKey(k tea.KeyPressMsg) tea.Cmd {
	km := b.ctx.Keys
	switch {
	case key.Matches(k, km.Send.Binding):
		return b.send(b.execID)
	case key.Matches(k, km.Leave.Binding):
		b.leave()
		return nil
	}
	return b.edit(k)
}

// edit passes a key or a paste to the textarea.
func (b *Box) edit(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	b.ta, cmd = b.ta.Update(msg)
	return tea.Batch(cmd, b.changed())
}

// ShortHelp is the footer's help while the box is focused.
func (b *Box) ShortHelp() []key.Binding {
	km := b.ctx.Keys
	return keys.Bindings(km.Send, km.Newline, km.Leave)
}

// --- drafts on disk --------------------------------------------------------

type loadedMsg struct {
	drafts map[string]drafts.Draft
	err    error
}

type saveTick struct{ gen uint64 }

type savedMsg struct{ err error }

// Start loads the drafts saved by an earlier run.
func (b *Box) Start() tea.Cmd {
	store, now := b.store, b.ctx.Now
	return pane.Send(b.owner, func() tea.Msg {
		d, err := store.Load(now)
		return loadedMsg{drafts: d, err: err}
	})
}

// HandleMsg takes the box's own results; handled false for other messages.
func (b *Box) HandleMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case loadedMsg:
		b.onLoaded(msg)
	case saveTick:
		if msg.gen != b.saveGen {
			return nil, true // more typing came after: a later tick saves
		}
		return b.Keep(), true
	case savedMsg:
		if msg.err != nil {
			b.ctx.Flash(pane.Err, "could not save drafts: "+msg.err.Error())
		}
	case doneMsg:
		return b.onDone(msg), true
	case checkMsg:
		return b.onCheck(msg), true
	case statusMsg:
		return b.onStatus(msg), true
	case tea.PasteMsg:
		return b.edit(msg), true
	default:
		return nil, false
	}
	return nil, true
}

// onLoaded merges the saved drafts (what was typed since start wins). A
// draft that was being sent when agentop stopped may have been delivered:
// it is marked so that enter checks the feed before sending it again. A
// file that cannot be read is left alone: nothing is saved over it.
func (b *Box) onLoaded(msg loadedMsg) {
	if msg.err != nil {
		b.saveOff = true
		b.ctx.Flash(pane.Err, "Saved drafts could not be read ("+kit.ErrText(msg.err)+"); the file is left as it is and new drafts are not saved.")
	}
	for id, d := range msg.drafts {
		if _, typed := b.drafts[id]; typed {
			continue
		}
		b.drafts[id] = d
		if !d.SentAt.IsZero() {
			b.sends[id] = &sendState{phase: Unsure, text: strings.TrimSpace(d.Text), at: d.SentAt, checkThenSend: true}
		}
	}
	if b.execID != "" && b.ta.Value() == "" {
		b.ta.SetValue(b.drafts[b.execID].Text)
	}
}

// changed records the textarea's content as the draft and schedules a save.
func (b *Box) changed() tea.Cmd {
	if b.execID == "" {
		return nil
	}
	v := b.ta.Value()
	if b.drafts[b.execID].Text == v {
		return nil
	}
	if v == "" {
		delete(b.drafts, b.execID)
	} else {
		b.drafts[b.execID] = drafts.Draft{Text: v, Updated: b.ctx.Now} // an edit is a new message: not "being sent"
	}
	return b.scheduleSave()
}

// scheduleSave saves the drafts after a short quiet period.
func (b *Box) scheduleSave() tea.Cmd {
	if b.store == nil || b.saveOff {
		return nil
	}
	b.saveGen++
	gen := b.saveGen
	return pane.Send(b.owner, tea.Tick(400*time.Millisecond, func(time.Time) tea.Msg { return saveTick{gen: gen} }))
}

// Keep writes a copy of the drafts in a Cmd; saves are versioned, so they
// land in the order they were started.
func (b *Box) Keep() tea.Cmd {
	if b.store == nil || b.saveOff {
		return nil
	}
	snapshot := make(map[string]drafts.Draft, len(b.drafts))
	for k, v := range b.drafts {
		snapshot[k] = v
	}
	b.saveVer++
	store, ver := b.store, b.saveVer
	return pane.Send(b.owner, func() tea.Msg { return savedMsg{err: store.Save(ver, snapshot)} })
}

// KeepNow writes the drafts now, after the program has ended (its last
// word over any save still in flight).
func (b *Box) KeepNow() error {
	if b.saveOff {
		return nil
	}
	return b.store.Save(math.MaxUint64, b.drafts)
}
