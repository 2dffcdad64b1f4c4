// Package executions is the executions view: the table of executions, the
// agents pane that filters it, the selected execution's activity feed and
// reply box, the actions on an execution, its detail page and the execute
// form.
package executions

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/feed"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/reply"
)

// Name is the view's name: ":executions", and the address of its results.
const Name = "executions"

// Info names the view.
var Info = pane.Info{Name: Name, Aliases: []string{"execution", "exec", "ex", "e"}, Title: "Executions", Key: "1", KeyHelp: "executions"}

// Spec is the view's registry entry.
var Spec = pane.Spec{Info: Info, New: func(ctx *pane.Context) pane.View { return New(ctx) }}

// Area is a focusable area of the view.
type Area int

// Areas.
const (
	AreaAgents Area = iota
	AreaTable
	AreaFeed
	AreaPrompt // the reply box
)

const (
	areaAgents = AreaAgents
	areaTable  = AreaTable
	areaFeed   = AreaFeed
	areaPrompt = AreaPrompt
)

// View is the executions view.
type View struct {
	pane.Info
	ctx        *pane.Context
	focus      Area
	showAgents bool
	zoom       bool // the focused pane fills the view (z)
	w, h       int
	geo        geom // the layout from the last SetSize

	rows       rows
	agentPane  kit.Table // row 0 is "All agents"
	agentsMemo agentsMemo
	latest     map[string]api.Activity // newest activity per execution, for the table

	feeds    *feedCache
	focusID  string // the execution whose feed is shown and tailed
	focusGen uint64

	reply *reply.Box

	marks       map[string]bool // marked executions (space, ctrl+a), for bulk actions
	bulk        *bulkRun        // the bulk action running (nil: none)
	bulkGen     uint64
	bulkResults []bulkResult

	section    section  // the saved filter the table shows, if any
	visible    []string // execution ids last reported to the poller
	visibleGen uint64
}

// New builds the view.
func New(ctx *pane.Context) *View {
	v := &View{
		Info:       Info,
		ctx:        ctx,
		focus:      areaTable,
		showAgents: true,
		rows:       newRows(ctx),
		agentPane: kit.NewTable(kit.Column{Title: "AGENT", Flex: 1, Min: 8}, kit.Column{Title: "RUN", Width: 3, Right: true},
			kit.Column{Title: "ASK", Width: 3, Right: true}, kit.Column{Title: "6H", Width: sparkHours, HideBelow: 32},
			kit.Column{Title: "OK", Width: 4, Right: true, HideBelow: 32}),
		latest: map[string]api.Activity{},
		marks:  map[string]bool{},
		feeds:  newFeedCache(16),
	}
	v.reply = reply.New(ctx, Name, func() { v.focus = areaFeed })
	return v
}

// HandleMsg implements pane.Pane.
func (v *View) HandleMsg(msg tea.Msg) tea.Cmd {
	if cmd, ok := v.reply.HandleMsg(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case pane.PollMsg:
		return v.onPoll(msg)
	case rowsMsg:
		return v.applyRows(msg)
	case markAll:
		if msg.gen == v.rows.gen {
			v.marks = msg.marks
		}
	case bulkStep:
		return v.onBulkStep(msg)
	case feed.SearchResult:
		if f := v.feeds.get(msg.Key); f != nil {
			f.ApplySearch(msg)
		}
	case pane.Changed:
		if msg.Data&pane.DataCatalog != 0 {
			return v.requestRows()
		}
		if msg.Data&pane.DataKeys != 0 {
			v.reply.Rebind()
		}
	case tea.WindowSizeMsg:
		return v.reportVisible()
	case pane.Started:
		return v.reply.Start()
	case pane.Shown:
		if v.focus == areaPrompt {
			v.setFocus(areaTable)
		}
	}
	return nil
}

// onPoll takes the burst's events the view follows.
func (v *View) onPoll(events pane.PollMsg) tea.Cmd {
	var cmds []tea.Cmd
	for _, ev := range events {
		switch e := ev.(type) {
		case poller.SnapshotEvent:
			cmds = append(cmds, v.requestRows())
			v.onChanges(e.Changes)
		case poller.ActivitiesEvent:
			cmds = append(cmds, v.onActivities(e))
		case poller.LastActivityEvent:
			for id, a := range e.Latest {
				v.latest[id] = a
			}
			v.rows.invalidate()
		case poller.ErrorEvent:
			if e.Focus != 0 && e.Focus == v.focusGen {
				v.ctx.Flash(pane.Warn, e.Op+": "+kit.ErrText(e.Err))
			}
		}
	}
	return tea.Batch(cmds...)
}

// onChanges forgets the latest activities and feeds of executions that left.
func (v *View) onChanges(changes []poller.Change) {
	for _, c := range changes {
		if c.Kind == poller.Removed {
			delete(v.latest, c.ExecutionID)
			v.feeds.drop(c.ExecutionID)
		}
	}
}

// setFocus moves the keyboard to an area; leaving the reply box blurs it
// (its draft is kept).
func (v *View) setFocus(a Area) {
	if v.focus == areaPrompt && a != areaPrompt {
		v.reply.Blur()
	}
	v.focus = a
}

// SetFocused implements pane.Pane (the view is current).
func (v *View) SetFocused(bool) {}

// Capturing implements pane.Pane: the reply box takes every key.
func (v *View) Capturing() bool { return v.focus == areaPrompt }

// ShortHelp implements pane.Pane.
func (v *View) ShortHelp() []key.Binding {
	k := v.ctx.Keys
	switch v.focus {
	case areaPrompt:
		return v.reply.ShortHelp()
	case areaFeed:
		return keys.Bindings(k.Follow, k.Wrap, k.FreezeFeed, k.Search, k.Expand, k.Reply, k.Zoom, k.FocusNext, k.Help, k.Quit)
	case areaAgents:
		return keys.Bindings(k.Up, k.Down, k.FocusNext, k.Execute, k.ToggleAgents, k.Help, k.Quit)
	}
	// The table's keys for what the selected execution can do now.
	as := []*keys.Action{k.Open}
	if e, ok := v.selectedExec(); ok {
		switch {
		case e.Status.Wants() == api.WantsAnswer:
			as = append(as, k.Reply)
		case e.Status.Wants() == api.WantsApproval:
			as = append(as, k.Resume, k.Cancel)
		case e.Status.CanPause():
			as = append(as, k.Pause, k.Cancel)
		case e.Status.CanResume():
			as = append(as, k.Resume, k.Cancel)
		}
	}
	if v.ctx.Snap != nil && len(v.ctx.Snap.Waiting) > 0 {
		as = append(as, k.NextWaiting)
	}
	if len(v.marks) > 0 { // p, r and x act on the marked
		as = append([]*keys.Action{k.Pause, k.Resume, k.Cancel}, k.Mark, k.MarkAll)
	}
	as = append(as, k.Details, k.Execute, k.Filter, k.Mark, k.Zoom, k.Sort, k.Command, k.Help, k.Quit)
	return keys.Bindings(as...)
}

// Filter implements pane.Filterable.
func (v *View) Filter() string { return v.rows.filter }

// SetFilter implements pane.Filterable: the rows narrow as it is typed.
func (v *View) SetFilter(text string) tea.Cmd {
	if v.rows.filter == text {
		return nil
	}
	v.rows.filter, v.rows.toFirst = text, text != ""
	return v.requestRows()
}

// Query implements pane.Searchable (the feed's search).
func (v *View) Query() string {
	if f := v.currentFeed(); f != nil {
		return f.Query()
	}
	return ""
}

// SetQuery implements pane.Searchable.
func (v *View) SetQuery(text string) tea.Cmd {
	if f := v.currentFeed(); f != nil && f.Query() != text {
		return pane.Send(Name, f.SetQuery(text))
	}
	return nil
}

// Keep implements pane.Keeper: the drafts are saved.
func (v *View) Keep() tea.Cmd { return v.reply.Keep() }

// KeepNow implements pane.Keeper.
func (v *View) KeepNow() error { return v.reply.KeepNow() }

// Reply is the reply box.
func (v *View) Reply() *reply.Box { return v.reply }

// Focus is the area that has the keyboard.
func (v *View) Focus() Area { return v.focus }

// Selected is the selected execution's id.
func (v *View) Selected() string { return v.rows.selID }

// Following is the execution whose feed is shown, and its focus generation.
func (v *View) Following() (string, uint64) { return v.focusID, v.focusGen }

// Rows is the number of rows listed.
func (v *View) Rows() int { return v.rows.table.Len() }

// Narrowed is the table's filter and agent.
func (v *View) Narrowed() (filter, agentID string) { return v.rows.filter, v.rows.agentID }

// CurrentFeed is the shown execution's feed (nil when none).
func (v *View) CurrentFeed() *feed.Model { return v.currentFeed() }
