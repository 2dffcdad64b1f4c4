package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/drafts"
	"github.com/agentop/agentop/tui/feed"
	"github.com/agentop/agentop/tui/theme"
)

// viewID names a top-level view.
type viewID int

const (
	viewExecutions viewID = iota
	viewAgents
	viewProfiles
	viewPools
	viewInbox
)

var viewNames = map[viewID]string{
	viewExecutions: "Executions", viewAgents: "Agents", viewProfiles: "Profiles",
	viewPools: "Pools", viewInbox: "Inbox",
}

// pane names a focusable area of the executions view.
type pane int

const (
	paneAgents pane = iota
	paneTable
	paneFeed
	panePrompt
)

// Minimum terminal size; below it the dashboard asks to be enlarged.
const (
	minWidth  = 60
	minHeight = 16
)

// Model is the dashboard's root Bubble Tea model. Use New, then run it with
// tea.NewProgram(m) (Run does this, wiring the poller).
type Model struct {
	opts  Options
	keys  *KeyMap
	st    *theme.Styles
	src   Source
	caps  api.Capabilities
	ctx   context.Context // parent of every request a Cmd makes
	now   time.Time
	w, h  int
	ready bool // a WindowSizeMsg arrived

	view       viewID
	focus      pane
	geo        geom // the executions view's layout, from the last layout()
	showAgents bool

	// Data from the poller.
	snap     *poller.Snapshot
	conn     poller.ConnectionEvent
	agents   []api.Agent
	profiles []api.Profile
	pools    []api.ProfilePool
	catalog  bool // a catalog arrived
	latest   map[string]api.Activity

	execs     execList
	agentPane table // the agents pane of the executions view
	lists     map[viewID]*listPane

	feeds    *feedCache
	focusID  string
	focusGen uint64

	reply replyState

	input   *textinput.Model // the filter / search / command line being typed
	inputOf inputTarget

	overlay overlay // help, dialog, form or detail; nil when none

	helpMemo         helpMemo
	agentsMemo       agentsMemo
	flash            flash
	tickArmed        bool
	announcedInitial bool     // the waiting-at-start-up notice was given
	visible          []string // execution ids last reported to the poller
	visibleGen       uint64
}

// New builds the dashboard model. src may be nil (no poller: tests drive
// the model with messages).
func New(ctx context.Context, opts Options, src Source) *Model {
	opts.defaults()
	caps := api.Capabilities{}
	if opts.Backend != nil {
		caps = opts.Backend.Capabilities()
	}
	keys := DefaultKeyMap()
	keys.Restrict(caps, opts.ReadOnly)
	m := &Model{
		opts:       opts,
		keys:       keys,
		st:         theme.New(opts.Theme),
		src:        src,
		caps:       caps,
		ctx:        ctx,
		now:        opts.Now(),
		view:       viewExecutions,
		focus:      paneTable,
		showAgents: true,
		latest:     map[string]api.Activity{},
		feeds:      newFeedCache(16),
		lists:      map[viewID]*listPane{},
	}
	m.execs.init()
	m.agentPane.cols = []column{{Title: "AGENT", Flex: 1, Min: 8}, {Title: "RUN", Width: 3, Right: true}, {Title: "ASK", Width: 3, Right: true}}
	m.initLists()
	m.reply.init(drafts.Open(opts.StateDir, opts.Context), m.keys, m.st)
	return m
}

// OverrideKeys applies config key overrides (by action name) before Run.
func (m *Model) OverrideKeys(keys map[string][]string) error {
	if err := m.keys.Override(keys); err != nil {
		return err
	}
	m.keys.Restrict(m.caps, m.opts.ReadOnly)
	m.reply.applyKeys(m.keys)
	return nil
}

// Init starts the clock.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.armTick(), m.reply.loadCmd(m.now))
}

// --- messages --------------------------------------------------------------

// PollMsg delivers a coalesced burst of poller events.
type PollMsg []poller.Event

// tickMsg advances the clock used for relative times ("updated 3s ago", a
// running execution's duration). It is the only timer, once a second.
type tickMsg time.Time

func (m *Model) armTick() tea.Cmd {
	if m.tickArmed {
		return nil
	}
	m.tickArmed = true
	now := m.opts.Now
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return tickMsg(now()) })
}

// flash is a transient message in the footer.
type flash struct {
	text    string
	level   flashLevel
	expires time.Time
}

type flashLevel int

const (
	flashInfo flashLevel = iota
	flashWarn
	flashErr
)

func (m *Model) setFlash(level flashLevel, text string) {
	d := 4 * time.Second
	if level == flashErr {
		d = 10 * time.Second
	}
	m.flash = flash{text: text, level: level, expires: m.now.Add(d)}
}

// Update routes a message, then lays the panes out for the new state (an
// O(1) step: sizes only).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.layout()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h, m.ready = msg.Width, msg.Height, true
		m.layout()
		return m.reportVisible()
	case tickMsg:
		m.tickArmed = false
		m.now = time.Time(msg)
		if !m.flash.expires.IsZero() && m.now.After(m.flash.expires) {
			m.flash = flash{}
		}
		return m.armTick()
	case PollMsg:
		return m.onPoll(msg)
	case rowsMsg:
		return m.applyRows(msg)
	case filterMsg:
		m.applyFilter(msg)
		return nil
	case feed.SearchResult:
		if f := m.feeds.get(msg.Key); f != nil {
			f.ApplySearch(msg)
		}
		return nil
	case actionDoneMsg:
		return m.onActionDone(msg)
	case formDoneMsg:
		return m.onFormDone(msg)
	case replyDoneMsg:
		return m.onReplyDone(msg)
	case replyCheckMsg:
		return m.onReplyCheck(msg)
	case draftsLoadedMsg:
		m.onDraftsLoaded(msg)
		return nil
	case draftSaveTick:
		return m.reply.onSaveTick(msg)
	case draftsSavedMsg:
		if msg.err != nil {
			m.setFlash(flashErr, "could not save drafts: "+msg.err.Error())
		}
		return nil
	case tea.PasteMsg:
		return m.onPaste(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	}
	if m.overlay != nil {
		var cmd tea.Cmd
		m.overlay, cmd = m.overlay.update(m, msg)
		return cmd
	}
	return nil
}

// onPoll applies a burst of poller events. Questions are announced last,
// once the burst's snapshot is in (the notice counts the waiting).
func (m *Model) onPoll(events PollMsg) tea.Cmd {
	var cmds []tea.Cmd
	var asked []poller.InteractionEvent
	for _, ev := range events {
		switch e := ev.(type) {
		case poller.SnapshotEvent:
			m.snap = e.Snapshot
			cmds = append(cmds, m.requestRows(), m.onChanges(e.Changes))
		case poller.ConnectionEvent:
			m.conn = e
		case poller.InteractionEvent:
			asked = append(asked, e)
		case poller.ActivitiesEvent:
			cmds = append(cmds, m.onActivities(e))
		case poller.LastActivityEvent:
			for id, a := range e.Latest {
				m.latest[id] = a
			}
			m.execs.invalidate()
		case poller.CatalogEvent:
			cmds = append(cmds, m.onCatalog(e))
		case poller.ErrorEvent:
			if e.Focus == 0 || e.Focus == m.focusGen {
				m.setFlash(flashWarn, e.Op+": "+errText(e.Err))
			}
		}
	}
	for _, e := range asked {
		cmds = append(cmds, m.onInteraction(e))
	}
	return tea.Batch(cmds...)
}

// onChanges reacts to executions that changed: forget latest activities of
// those that left, and let the reply box know when its execution moved on.
func (m *Model) onChanges(changes []poller.Change) tea.Cmd {
	for _, c := range changes {
		if c.Kind == poller.Removed {
			delete(m.latest, c.ExecutionID)
			m.feeds.drop(c.ExecutionID)
		}
	}
	return nil
}

// onActivities appends activities to the focused execution's feed; events
// of an earlier focus are stale and dropped.
func (m *Model) onActivities(e poller.ActivitiesEvent) tea.Cmd {
	if e.Focus != m.focusGen || e.ExecutionID != m.focusID {
		return nil
	}
	f := m.feeds.ensure(e.ExecutionID, m.st, m.opts.FeedLimit)
	switch {
	case e.Reset && f.Len() > 0:
		f.Merge(e.Activities) // looked at again: keep its history and place
	case e.Reset:
		f.Reset(e.Activities, e.Older)
	default:
		f.Append(e.Activities, e.Gap)
	}
	if e.Final {
		f.SetFinal(true)
	}
	var cmd tea.Cmd
	if n := len(e.Activities); n > 0 {
		m.latest[e.ExecutionID] = e.Activities[n-1]
		m.execs.invalidate()
		cmd = m.onFeedActivities(e.ExecutionID, e.Activities)
	}
	m.layoutFeed()
	return cmd
}

func (m *Model) onCatalog(e poller.CatalogEvent) tea.Cmd {
	if e.Agents != nil {
		m.agents = e.Agents
	}
	if e.Profiles != nil {
		m.profiles = e.Profiles
	}
	if e.Pools != nil {
		m.pools = e.Pools
	}
	m.catalog = true
	if len(e.Errs) > 0 {
		m.setFlash(flashWarn, "could not list everything: "+errText(e.Errs[0]))
	}
	return tea.Batch(m.requestRows(), m.refilterAll())
}
