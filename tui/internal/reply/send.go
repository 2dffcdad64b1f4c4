package reply

import (
	"context"
	"maps"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

type doneMsg struct {
	execID  string
	text    string
	at      time.Time
	attempt uint64
	err     error
}

type checkMsg struct {
	execID        string
	attempt       uint64
	found         bool
	err           error
	sendIfMissing bool
}

// send starts sending the textarea's content to execution id.
func (b *Box) send(id string) tea.Cmd {
	text := strings.TrimSpace(b.ta.Value())
	if text == "" {
		b.ctx.Flash(pane.Warn, "Type an answer first.")
		return nil
	}
	prev := b.sends[id]
	if prev != nil && (prev.phase == Sending || prev.phase == Checking) {
		return nil // one at a time: never a double send
	}
	b.attempt++
	if prev != nil && prev.checkThenSend && prev.text == text {
		// It may have gone out before agentop stopped: look first.
		prev.phase, prev.attempt, prev.checkThenSend = Checking, b.attempt, false
		return b.checkEcho(id, prev, true)
	}
	now := b.ctx.Now
	st := &sendState{phase: Sending, text: text, at: now, attempt: b.attempt, before: maps.Clone(b.userSeen[id])}
	b.sends[id] = st
	// Recorded on disk as being sent until the outcome is known.
	d := b.drafts[id]
	d.SentAt = now
	b.drafts[id] = d
	attempt := b.attempt
	save := b.Keep()
	return tea.Batch(save, pane.Send(b.owner, kit.Call(b.ctx.Ctx, b.ctx.Backend, replyTimeout, func(c context.Context, be api.Backend) tea.Msg {
		err := be.Reply(c, id, text)
		return doneMsg{execID: id, text: text, at: now, attempt: attempt, err: err}
	})))
}

// ambiguous reports whether a failed send may still have been delivered.
func ambiguous(err error) bool {
	switch api.KindOf(err) {
	case api.KindTimeout, api.KindNetwork, api.KindServer, api.KindDecode, api.KindUnknown, api.KindCanceled:
		return true
	}
	return false
}

func (b *Box) onDone(msg doneMsg) tea.Cmd {
	st := b.sends[msg.execID]
	if st == nil || st.attempt != msg.attempt {
		return nil
	}
	switch {
	case msg.err == nil:
		return b.delivered(msg.execID, st)
	case ambiguous(msg.err):
		st.phase, st.err = Checking, msg.err
		return b.checkEcho(msg.execID, st, false)
	default:
		st.phase, st.err = Failed, msg.err
		b.ctx.Flash(pane.Err, "Reply not sent: "+kit.ErrText(msg.err))
		if d, ok := b.drafts[msg.execID]; ok {
			d.SentAt = time.Time{} // refused: certainly not delivered
			b.drafts[msg.execID] = d
		}
		switch api.KindOf(msg.err) {
		case api.KindInvalid, api.KindNotFound:
			// Refused for its state, maybe: the screen may be stale.
			// Look the execution up, and say so if it has moved on.
			return tea.Batch(b.Keep(), b.lookUp(msg.execID, st.attempt))
		}
		return b.Keep()
	}
}

// statusMsg is what a refused reply's execution turned out to be.
type statusMsg struct {
	execID  string
	attempt uint64
	exec    api.Execution
	err     error
}

// lookUp reads the execution a reply was refused for.
func (b *Box) lookUp(id string, attempt uint64) tea.Cmd {
	return pane.Send(b.owner, kit.Call(b.ctx.Ctx, b.ctx.Backend, replyTimeout, func(c context.Context, be api.Backend) tea.Msg {
		e, err := be.GetExecution(c, id)
		return statusMsg{execID: id, attempt: attempt, exec: e, err: err}
	}))
}

// onStatus says when a refused reply's execution has moved on (it ended,
// or no longer waits for an answer): the draft stays, and the poller is
// asked for the fleet again so the screen catches up.
func (b *Box) onStatus(msg statusMsg) tea.Cmd {
	st := b.sends[msg.execID]
	if st == nil || st.attempt != msg.attempt || st.phase != Failed {
		return nil
	}
	if msg.err != nil || msg.exec.Status.NeedsHuman() {
		return nil // still waiting, or not known: the refusal stands as the platform said it
	}
	st.movedOn = sanitize.Line(msg.exec.StatusWord())
	b.ctx.Flash(pane.Err, "Reply not sent: the execution has moved on ("+st.movedOn+") and no longer takes a reply; your text is kept.")
	return kit.Nudge(b.ctx.Source)
}

// checkEcho looks for the reply's echo among the newest activities. With
// sendIfMissing (a send interrupted by a restart) a missing echo means the
// reply is sent now.
func (b *Box) checkEcho(id string, st *sendState, sendIfMissing bool) tea.Cmd {
	text, since, attempt, before := st.text, st.at, st.attempt, st.before
	return pane.Send(b.owner, kit.Call(b.ctx.Ctx, b.ctx.Backend, replyTimeout, func(c context.Context, be api.Backend) tea.Msg {
		acts, err := be.Activities(c, id, api.ActivityQuery{Order: api.SortDesc, Limit: 30})
		return checkMsg{execID: id, attempt: attempt, found: err == nil && echoed(acts, text, since, before),
			err: err, sendIfMissing: sendIfMissing}
	}))
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

func (b *Box) onCheck(msg checkMsg) tea.Cmd {
	st := b.sends[msg.execID]
	if st == nil || st.attempt != msg.attempt || st.phase != Checking {
		return nil
	}
	if msg.found {
		return b.delivered(msg.execID, st)
	}
	if msg.sendIfMissing && msg.err == nil {
		st.phase = Idle
		return b.send(msg.execID)
	}
	st.phase = Unsure
	b.ctx.Flash(pane.Warn, "The reply may not have arrived; press enter to send it again.")
	return nil
}

// delivered clears the draft (unless it was edited meanwhile) and asks the
// poller to look again soon.
func (b *Box) delivered(id string, st *sendState) tea.Cmd {
	st.phase, st.err = Sent, nil
	if st.echoSeen {
		st.phase = Echoed
	}
	var cmds []tea.Cmd
	if strings.TrimSpace(b.drafts[id].Text) == st.text {
		delete(b.drafts, id)
		if b.execID == id {
			b.ta.Reset()
		}
		cmds = append(cmds, b.Keep())
	}
	b.ctx.Flash(pane.Note, "Reply sent.")
	if b.focused && b.execID == id {
		b.leave()
	}
	cmds = append(cmds, kit.Nudge(b.ctx.Source))
	return tea.Batch(cmds...)
}

// OnActivities notes the operator messages in newly arrived activities of
// an execution's feed and, when one is the echo of a reply in progress,
// settles it: delivered, whatever the request's own answer said or will say.
func (b *Box) OnActivities(id string, acts []api.Activity) tea.Cmd {
	st := b.sends[id]
	echo := st != nil && st.phase != Idle && st.phase != Failed && st.phase != Echoed &&
		echoed(acts, st.text, st.at, st.before)
	for _, a := range acts {
		if a.Kind == api.KindUserMessage {
			if b.userSeen[id] == nil {
				b.userSeen[id] = map[string]bool{}
			}
			b.userSeen[id][a.ID] = true
		}
	}
	if !echo {
		return nil
	}
	st.echoSeen = true
	switch st.phase {
	case Sending:
		return nil // the request's answer settles it, as echoed
	case Sent:
		st.phase = Echoed
		return nil
	}
	return b.delivered(id, st) // checking or unsure: the echo is the answer
}
