package poller

import (
	"context"
	"sort"
	"time"

	"github.com/agentop/agentop/api"
)

// spell is one waiting spell of an execution: from the sweep that first saw
// it paused_by_agent to the one that sees it leave.
type spell struct {
	since   time.Time // when the poller first saw it waiting
	created time.Time // the execution's CreatedAt, to order ties
	initial bool      // waiting at the first sweep
	read    bool      // the question was read in this spell
	stale   bool      // read it again (an operator acted on the execution)
	print   string    // what the listing showed when it was read
	req     api.InteractionRequest
	status  api.Status // what it waits in: a question or an approval
}

// derive is the request of a waiting execution before it was read.
func derive(e api.Execution, since time.Time) api.InteractionRequest {
	if e.Status == api.StatusAwaitingConfirmation {
		return api.DeriveApproval(e, nil, since)
	}
	return api.DeriveInteraction(e, nil, since)
}

// fingerprint is what a listing shows about a waiting execution that would
// change if the agent asked something else: its status and, where the
// platform reports one, its update time. Asteroid lists no update time, so
// there a new question is a new spell (the execution went back to running
// and paused again); a platform that does report one gets a re-read when it
// moves.
func fingerprint(e api.Execution) string {
	return string(e.Status) + "|" + e.PlatformStatus + "|" + e.UpdatedAt.UTC().Format(time.RFC3339Nano)
}

// readQuestions keeps the question of every waiting execution: read once
// per waiting spell, and again only when the listing shows the execution
// changed (fingerprint) — never on a timer. Reads go to the executions on
// screen first (the focused one, then the visible rows, in display order),
// then to the newest arrivals; those off screen spend the QuestionRate
// budget, so a fleet where hundreds of agents ask at once costs a bounded
// number of reads a minute (the badge and the inbox count them at once; an
// unread one shows the generic prompt until its turn). At most
// QuestionBatch are read per sweep, ListConcurrency at a time. A new
// question — the first read, another activity, or words where there was
// only the generic prompt — is announced once; Initial marks executions
// already waiting at the first sweep.
func (s *sweeper) readQuestions(ctx context.Context, now time.Time) error {
	cfg := s.p.cfg
	var due []api.Execution
	for id, sp := range s.spells {
		if e := s.active[id]; !sp.read || sp.stale || sp.print != fingerprint(e) {
			due = append(due, e)
		}
	}
	if len(due) == 0 {
		return nil
	}
	rank := s.p.onScreen()
	sort.Slice(due, func(i, j int) bool {
		ri, vi := rank[due[i].ID]
		rj, vj := rank[due[j].ID]
		if vi != vj {
			return vi
		}
		if vi {
			return ri < rj
		}
		si, sj := s.spells[due[i].ID], s.spells[due[j].ID]
		if !si.since.Equal(sj.since) {
			return si.since.After(sj.since)
		}
		return si.created.After(sj.created)
	})
	var pick []api.Execution
	for _, e := range due {
		if len(pick) >= cfg.QuestionBatch {
			break
		}
		if _, visible := rank[e.ID]; !visible && !s.questions.take(now) {
			break
		}
		pick = append(pick, e)
	}
	reqs := make([]api.InteractionRequest, len(pick))
	errs := make([]error, len(pick))
	parallel(ctx, len(pick), cfg.ListConcurrency, func(i int) {
		reqs[i], errs[i] = s.question(ctx, pick[i], s.spells[pick[i].ID].since)
	})
	var firstErr error
	for i, e := range pick {
		sp := s.spells[e.ID]
		if errs[i] != nil {
			if firstErr == nil {
				firstErr = errs[i]
			}
			continue
		}
		req, prev, had := reqs[i], sp.req, sp.read
		sp.read, sp.stale, sp.print, sp.req = true, false, fingerprint(e), req
		if !had || (prev.Fallback && !req.Fallback) || (!req.Fallback && req.ActivityID != prev.ActivityID) {
			s.p.emit(ctx, InteractionEvent{Request: req, Initial: sp.initial})
		}
	}
	if firstErr != nil {
		s.p.emit(ctx, ErrorEvent{Op: "read the agent's question", Err: firstErr})
	}
	return firstErr
}

// question reads one execution's question: the backend's own way where it
// has one (api.Asker), else from its newest activities.
func (s *sweeper) question(ctx context.Context, e api.Execution, seen time.Time) (api.InteractionRequest, error) {
	cfg := s.p.cfg
	return poll(ctx, cfg.PollTimeout, func(ctx context.Context) (api.InteractionRequest, error) {
		return api.ReadInteraction(ctx, cfg.Backend, e, cfg.QuestionLimit, seen)
	})
}

// track opens a spell for every execution that started waiting and closes
// those of executions that stopped.
func (s *sweeper) track(first bool, now time.Time) {
	for id, sp := range s.spells {
		if e, ok := s.active[id]; !ok || !e.Status.AwaitsHuman() || sp.status != e.Status {
			delete(s.spells, id)
		}
	}
	for id, e := range s.active {
		if e.Status.AwaitsHuman() && s.spells[id] == nil {
			s.spells[id] = &spell{since: now, created: e.CreatedAt, initial: first, status: e.Status}
		}
	}
}

// questionMap is the open questions for the snapshot: what was read, else
// the generic prompt dated from when the wait was first seen.
func (s *sweeper) questionMap() map[string]api.InteractionRequest {
	out := make(map[string]api.InteractionRequest, len(s.spells))
	for id, sp := range s.spells {
		if sp.read {
			out[id] = sp.req
		} else if e, ok := s.active[id]; ok {
			out[id] = derive(e, sp.since)
		}
	}
	return out
}

// onScreen ranks the executions the operator can see: the focused one
// first, then the visible rows in display order.
func (p *Poller) onScreen() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	rank := make(map[string]int, len(p.visible)+1)
	if p.focusID != "" {
		rank[p.focusID] = 0
	}
	for i, id := range p.visible {
		if _, ok := rank[id]; !ok {
			rank[id] = i + 1
		}
	}
	return rank
}
