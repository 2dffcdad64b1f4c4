package archastro

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
)

// journalPages bounds how far Activities pages through a run's journal
// (which pages forward, oldest first).
const journalPages = 5

// Activities returns an execution's feed. A session's is its trajectory
// (AI and tool messages), its inbox (the messages people sent) and the
// activity feed entries recorded for it (the feed has no session filter:
// the agent's newest 100 are read and kept where session_record is the
// session). A routine run's is its journal.
func (c *Client) Activities(ctx context.Context, id string, q api.ActivityQuery) ([]api.Activity, error) {
	var acts []api.Activity
	if isRun(id) {
		var err error
		if acts, err = c.journal(ctx, id); err != nil {
			return nil, err
		}
	} else {
		v, err := c.sessionView(ctx, id)
		if err != nil {
			return nil, err
		}
		acts = v.acts
	}
	slices.SortStableFunc(acts, func(a, b api.Activity) int { return a.Time.Compare(b.Time) })
	if q.Order == api.SortDesc {
		slices.Reverse(acts)
	}
	if q.Limit > 0 && len(acts) > q.Limit {
		acts = acts[:q.Limit]
	}
	return acts, nil
}

// view is a session with its activities, and where its question is.
type view struct {
	s        wire.Session
	acts     []api.Activity
	question int // index in acts of the agent's newest message after the last inbox entry; -1
	feed     int // index of the newest feed entry of the session; -1
}

func (c *Client) sessionView(ctx context.Context, id string) (view, error) {
	s, err := c.session(ctx, id)
	if err != nil {
		return view{}, err
	}
	v := view{s: s.v, question: -1, feed: -1}
	var lastInbox time.Time
	for i, m := range s.v.Inbox {
		a := inboxActivity(s.v, i, m)
		lastInbox = latest(lastInbox, a.Time)
		v.acts = append(v.acts, a)
	}
	if s.v.Trajectory != "" {
		var t wire.Trajectory
		if err := c.http.do(ctx, request{method: "GET", path: "/trajectories/{id}", args: []string{s.v.Trajectory}}, &t); err != nil && api.KindOf(err) != api.KindNotFound {
			return view{}, err
		}
		at := s.v.StartedAt.Time
		if at.IsZero() {
			at = s.v.CreatedAt.Time
		}
		for i, m := range t.Messages {
			a := trajectoryActivity(s.v, t.ID, i, m, at)
			at = a.Time
			if a.Message != "" && a.Actor == api.ActorAgent && (a.Kind == api.KindReasoning || a.Kind == api.KindActionStarted) && a.Time.After(lastInbox) {
				v.question = len(v.acts)
			}
			v.acts = append(v.acts, a)
		}
	}
	if agent := string(s.v.Agent); agent != "" {
		entries, err := c.agentFeed(ctx, agent)
		if err != nil {
			return view{}, err
		}
		var newest time.Time
		for _, e := range entries {
			if string(e.v.SessionRecord) != s.v.ID {
				continue
			}
			a := feedActivity(s.v.ID, e.v, e.raw)
			if strings.TrimSpace(a.Message) != "" && (v.feed < 0 || !a.Time.Before(newest)) {
				v.feed, newest = len(v.acts), a.Time
			}
			v.acts = append(v.acts, a)
		}
	}
	if sessionStatus(s.v.Status) == api.StatusPausedByAgent && v.question >= 0 {
		v.acts[v.question].AgentMessage = true
	}
	return v, nil
}

// Interaction derives a waiting session's question: the agent's newest
// message after the last inbox entry; else the newest feed entry of the
// session; else a generic prompt (Fallback), which says that waiting may
// be for an external event.
func (c *Client) Interaction(ctx context.Context, e api.Execution, seen time.Time) (api.InteractionRequest, error) {
	req := api.InteractionRequest{ExecutionID: e.ID, AgentID: e.AgentID, AgentName: e.AgentName}
	if isRun(e.ID) {
		req.Question, req.AskedAt, req.Fallback = GenericQuestion, seen, true
		return req, nil
	}
	v, err := c.sessionView(ctx, e.ID)
	if err != nil {
		return api.InteractionRequest{}, err
	}
	for _, i := range []int{v.question, v.feed} {
		if i >= 0 {
			a := v.acts[i]
			req.Question, req.AskedAt, req.ActivityID = strings.TrimSpace(a.Message), a.Time, a.ID
			return req, nil
		}
	}
	req.Question, req.AskedAt, req.Fallback = GenericQuestion, seen, true
	if len(v.s.Inbox) == 0 && strings.TrimSpace(v.s.Instructions) != "" {
		req.Question = "The session waits for its first message. Its instructions: " + strings.TrimSpace(v.s.Instructions)
	}
	return req, nil
}

func inboxActivity(s wire.Session, i int, m wire.InboxEntry) api.Activity {
	a := api.Activity{ID: cmpOr(m.ID, s.ID+"#inbox"+strconv.Itoa(i)), ExecutionID: s.ID, Time: m.SentAt.Time,
		Kind: api.KindUserMessage, Text: firstLine(m.Content), Message: m.Content, Actor: api.ActorUser}
	if r := strings.ToLower(m.Role); r != "" && r != "user" {
		a.Actor = api.ActorSystem
		a.Kind = api.KindGeneric
	}
	a.Raw, _ = json.Marshal(m)
	return a
}

// trajectoryActivity maps one trajectory message: an AI message is the
// agent's reasoning or message (an action when it calls a tool), a tool
// message the action's result. Messages carry no documented ids, so the
// id is the trajectory's and the index. at is the time of the message
// before (used when the message has none).
func trajectoryActivity(s wire.Session, trj string, i int, m wire.TrajectoryMessage, at time.Time) api.Activity {
	text := string(m.Content)
	a := api.Activity{ID: cmpOr(m.ID, trj+"#"+strconv.Itoa(i)), ExecutionID: s.ID, Time: m.CreatedAt.Time,
		Text: firstLine(text), Message: text, Actor: api.ActorAgent}
	if a.Time.IsZero() {
		a.Time = at
	}
	switch strings.ToLower(m.Role) {
	case "assistant", "ai", "agent":
		a.Kind = api.KindReasoning
		if m.ToolCall != "" {
			a.Kind, a.ActionName = api.KindActionStarted, m.ToolCall
			if a.Text == "" {
				a.Text = m.ToolCall
			}
		}
	case "tool", "function":
		a.Kind, a.ActionName = api.KindActionCompleted, m.Name
		if st := strings.ToLower(m.Status); st == "error" || st == "failed" {
			a.Kind = api.KindActionFailed
		}
	case "user", "human":
		a.Kind, a.Actor = api.KindUserMessage, api.ActorUser
	default:
		a.Kind, a.Actor = api.KindGeneric, api.ActorSystem
	}
	a.Raw, _ = json.Marshal(m)
	return a
}

// feedActivity maps a feed entry: generic (an error level is a failed
// action), or a status change where its metadata names the new status.
func feedActivity(execID string, e wire.FeedEntry, raw json.RawMessage) api.Activity {
	a := api.Activity{ID: e.ID, ExecutionID: execID, Time: e.CreatedAt.Time, Kind: api.KindGeneric,
		Text: firstLine(cmpOr(e.Title, e.Content)), Message: e.Content, Actor: api.ActorSystem, Raw: raw}
	if strings.EqualFold(e.Level, "error") {
		a.Kind = api.KindActionFailed
	}
	if st, ok := e.Metadata["status"].(string); ok && st != "" {
		a.Kind, a.Status, a.Reason = api.KindStatusChanged, sessionStatus(st), e.Content
	}
	return a
}

// journal reads a routine run's journal, oldest first, up to journalPages
// pages.
func (c *Client) journal(ctx context.Context, id string) ([]api.Activity, error) {
	var out []api.Activity
	cursor := ""
	for range journalPages {
		var p params
		p.int("limit", wire.MaxLimit)
		p.set("after_cursor", cursor)
		r := request{method: "GET", path: "/agent_routines/runs/{id}/journal", args: []string{id}, query: p}
		var j wire.Journal
		if err := c.http.do(ctx, r, &j); err != nil {
			return nil, err
		}
		for _, e := range decodeEach[withRaw[wire.JournalEntry]](ctx, c.http, r.op(), j.Data) {
			out = append(out, journalActivity(id, e.v, e.raw))
		}
		if !j.HasMore || j.AfterCursor == "" || j.AfterCursor == cursor {
			break
		}
		cursor = j.AfterCursor
	}
	return out, nil
}

// journalActivity maps a journal record; its type is kept as the kind
// where it is not one agentop knows.
func journalActivity(runID string, e wire.JournalEntry, raw json.RawMessage) api.Activity {
	var rec struct {
		Message string `json:"message"`
		Text    string `json:"text"`
		Status  string `json:"status"`
		Reason  string `json:"reason"`
	}
	_ = json.Unmarshal(e.Record, &rec)
	msg := cmpOr(rec.Message, rec.Text)
	a := api.Activity{ID: cmpOr(e.ID, runID+"#"+strconv.FormatInt(e.Sequence, 10)), ExecutionID: runID, Time: e.CreatedAt.Time,
		Kind: api.ActivityKind(cmpOr(e.Type, string(api.KindGeneric))), Text: firstLine(cmpOr(msg, strings.ReplaceAll(e.Type, "_", " "))), Message: msg,
		Actor: api.ActorSystem, Raw: raw}
	if rec.Status != "" {
		a.Kind, a.Status, a.Reason = api.KindStatusChanged, sessionStatus(rec.Status), rec.Reason
	}
	if !slices.Contains(api.KnownActivityKinds, a.Kind) {
		a.Kind = api.ActivityKind(e.Type)
	}
	return a
}

// feedTTL is how long an agent's feed is reused: the sessions of one agent
// on screen share one request.
const feedTTL = time.Second

// feedCache holds each agent's newest feed entries for feedTTL.
type feedCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	byAgent map[string]cachedFeed
}

type cachedFeed struct {
	at      time.Time
	entries []withRaw[wire.FeedEntry]
}

// agentFeed reads the agent's newest 100 feed entries (the feed has no
// session filter), or reuses a read younger than feedTTL.
func (c *Client) agentFeed(ctx context.Context, agent string) ([]withRaw[wire.FeedEntry], error) {
	c.feeds.mu.Lock()
	if f, ok := c.feeds.byAgent[agent]; ok && time.Since(f.at) < c.feeds.ttl {
		c.feeds.mu.Unlock()
		return f.entries, nil
	}
	c.feeds.mu.Unlock()
	var p params
	p.list("agent", agent)
	p.int("limit", wire.MaxLimit)
	r := request{method: "GET", path: "/activity_feed", query: p}
	var l wire.List
	if err := c.http.do(ctx, r, &l); err != nil {
		return nil, err
	}
	entries := decodeEach[withRaw[wire.FeedEntry]](ctx, c.http, r.op(), l.Data)
	c.feeds.mu.Lock()
	defer c.feeds.mu.Unlock()
	if c.feeds.byAgent == nil || len(c.feeds.byAgent) > 1000 {
		c.feeds.byAgent = map[string]cachedFeed{}
	}
	c.feeds.byAgent[agent] = cachedFeed{at: time.Now(), entries: entries}
	return entries, nil
}
