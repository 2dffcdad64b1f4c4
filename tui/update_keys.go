package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
)

// inputTarget is what the line input is for.
type inputTarget int

const (
	inputFilter  inputTarget = iota + 1 // filter the current list
	inputSearch                         // search the feed
	inputCommand                        // ":" switch view
)

// onKey routes a key press. Order matters: ctrl+c always quits; an open
// overlay, the line input and the reply box each take every other key, so
// typing "q", "?", ":" or "/" into them types it.
func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, m.keys.ForceQuit.Binding) {
		return m.quit()
	}
	if m.overlay != nil {
		var cmd tea.Cmd
		m.overlay, cmd = m.overlay.update(m, k)
		return cmd
	}
	if m.input != nil {
		return m.onInputKey(k)
	}
	if m.view == viewExecutions && m.focus == panePrompt {
		return m.onPromptKey(k)
	}
	if cmd, ok := m.onGlobalKey(k); ok {
		return cmd
	}
	if m.view == viewExecutions {
		return m.onExecKey(k)
	}
	return m.onListKey(k)
}

func (m *Model) quit() tea.Cmd {
	return tea.Sequence(m.reply.saveNow(), tea.Quit)
}

func (m *Model) onGlobalKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	km := m.keys
	switch {
	case key.Matches(k, km.Quit.Binding):
		return m.quit(), true
	case key.Matches(k, km.Help.Binding):
		m.overlay = &helpOverlay{}
	case key.Matches(k, km.Command.Binding):
		return m.openInput(inputCommand, ""), true
	case key.Matches(k, km.Refresh.Binding):
		m.setFlash(flashInfo, "Refreshing…")
		if src := m.src; src != nil {
			return func() tea.Msg { src.Refresh(); return nil }, true
		}
	case key.Matches(k, km.NextWaiting.Binding):
		return m.jumpToWaiting(false), true
	case key.Matches(k, km.ViewExecs.Binding):
		return m.switchView(viewExecutions), true
	case key.Matches(k, km.ViewAgents.Binding):
		return m.switchView(viewAgents), true
	case key.Matches(k, km.ViewProfiles.Binding):
		return m.switchView(viewProfiles), true
	case key.Matches(k, km.ViewPools.Binding):
		return m.switchView(viewPools), true
	case key.Matches(k, km.ViewInbox.Binding):
		return m.switchView(viewInbox), true
	case key.Matches(k, km.NextView.Binding):
		return m.switchView(m.stepView(1)), true
	case key.Matches(k, km.PrevView.Binding):
		return m.switchView(m.stepView(-1)), true
	case key.Matches(k, km.Back.Binding):
		return m.back(), true
	default:
		return nil, false
	}
	return nil, true
}

// back undoes the most recent narrowing: a filter, an agent filter, a
// focused pane, then a non-default view.
func (m *Model) back() tea.Cmd {
	if m.view == viewExecutions {
		switch {
		case m.focus == paneFeed && m.currentFeed() != nil && m.currentFeed().Query() != "":
			return m.currentFeed().SetQuery("")
		case m.focus == paneFeed:
			m.focus = paneTable
		case m.execs.filter != "":
			m.execs.filter = ""
			return m.requestRows()
		case m.execs.agentID != "":
			m.execs.agentID = ""
			m.agentPane.top()
			return m.requestRows()
		case m.focus == paneAgents:
			m.focus = paneTable
		}
		return nil
	}
	if lp := m.lists[m.view]; lp != nil && lp.filter != "" {
		lp.filter = ""
		return m.refilter(m.view)
	}
	return m.switchView(viewExecutions)
}

// stepView is the view d tabs away, skipping those the platform lacks.
func (m *Model) stepView(d int) viewID {
	views := m.views()
	i := slices.Index(views, m.view)
	return views[(i+d+len(views))%len(views)]
}

// views lists the views in tab order, without those the platform lacks.
func (m *Model) views() []viewID {
	var out []viewID
	for _, v := range []viewID{viewExecutions, viewAgents, viewProfiles, viewPools, viewInbox} {
		if (v == viewProfiles && !m.caps.Profiles) || (v == viewPools && !m.caps.Pools) {
			continue
		}
		out = append(out, v)
	}
	return out
}

func (m *Model) switchView(v viewID) tea.Cmd {
	m.view = v
	if v == viewExecutions && m.focus == panePrompt {
		m.focus = paneTable
	}
	return m.refilter(v)
}

// onExecKey handles keys of the executions view's panes.
func (m *Model) onExecKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	switch {
	case key.Matches(k, km.FocusNext.Binding):
		m.cycleFocus(1)
		return nil
	case key.Matches(k, km.FocusPrev.Binding):
		m.cycleFocus(-1)
		return nil
	case key.Matches(k, km.ToggleAgents.Binding):
		m.showAgents = !m.showAgents
		if !m.showAgents && m.focus == paneAgents {
			m.focus = paneTable
		}
		return nil
	}
	switch m.focus {
	case paneAgents:
		if cmd, ok := m.onAgentPaneKey(k); ok {
			return cmd
		}
	case paneFeed:
		if cmd, ok := m.onFeedKey(k); ok {
			return cmd
		}
	default:
		if cmd, ok := m.onTableKey(k); ok {
			return cmd
		}
	}
	return m.onExecActionKey(k)
}

// onExecActionKey handles actions on the selected execution, available from
// every pane of the executions view.
func (m *Model) onExecActionKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	switch {
	case key.Matches(k, km.Pause.Binding):
		return m.pause()
	case key.Matches(k, km.Resume.Binding):
		return m.resume()
	case key.Matches(k, km.Cancel.Binding):
		return m.cancel()
	case key.Matches(k, km.Reply.Binding):
		return m.focusReply()
	case key.Matches(k, km.Details.Binding):
		if e, ok := m.actionTarget(); ok {
			return m.openDetail(e)
		}
	case key.Matches(k, km.Execute.Binding):
		return m.openExecute(m.execs.agentID)
	case key.Matches(k, km.OpenURL.Binding):
		if e, ok := m.actionTarget(); ok {
			url, what := executionURL(e)
			return m.openURL(url, what)
		}
	case key.Matches(k, km.CopyURL.Binding):
		if e, ok := m.actionTarget(); ok {
			url, what := executionURL(e)
			return m.copyText(url, what+" URL")
		}
	case key.Matches(k, km.CopyID.Binding):
		if e, ok := m.actionTarget(); ok {
			return m.copyText(e.ID, "execution id")
		}
	}
	return nil
}

func (m *Model) cycleFocus(d int) {
	order := []pane{paneTable, paneFeed}
	if m.showAgents && m.agentsWidth() > 0 {
		order = append([]pane{paneAgents}, order...)
	}
	i := slices.Index(order, m.focus)
	m.focus = order[(i+d+len(order))%len(order)]
}

// moveKey applies a list-movement key (up, down, pages, top, bottom) to a
// table and reports whether k was one.
func (m *Model) moveKey(k tea.KeyPressMsg, t *table) bool {
	km := m.keys
	switch {
	case key.Matches(k, km.Up.Binding):
		t.move(-1)
	case key.Matches(k, km.Down.Binding):
		t.move(1)
	case key.Matches(k, km.PageUp.Binding):
		t.pageUp()
	case key.Matches(k, km.PageDown.Binding):
		t.pageDown()
	case key.Matches(k, km.Top.Binding):
		t.top()
	case key.Matches(k, km.Bottom.Binding):
		t.bottom()
	default:
		return false
	}
	return true
}

// onTableKey moves in the executions table.
func (m *Model) onTableKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.moveKey(k, &m.execs.table) {
		return m.selectionChanged(), true
	}
	km := m.keys
	switch {
	case key.Matches(k, km.Open.Binding):
		if _, ok := m.selectedExec(); ok {
			m.focus = paneFeed
		}
		return nil, true
	case key.Matches(k, km.Filter.Binding):
		return m.openInput(inputFilter, m.execs.filter), true
	case key.Matches(k, km.Sort.Binding):
		m.execs.sortBy = (m.execs.sortBy + 1) % sortKey(len(sortNames))
		m.setFlash(flashInfo, "Sorted by "+sortNames[m.execs.sortBy]+".")
		return m.requestRows(), true
	case key.Matches(k, km.SortReverse.Binding):
		m.execs.reverse = !m.execs.reverse
		return m.requestRows(), true
	}
	return nil, false
}

// onAgentPaneKey moves in the agents pane; the selection filters the table.
func (m *Model) onAgentPaneKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	t := &m.agentPane
	if key.Matches(k, m.keys.Open.Binding) {
		m.focus = paneTable
		return nil, true
	}
	if !m.moveKey(k, t) {
		return nil, false
	}
	id := ""
	if c := t.cursor; c > 0 && c-1 < len(m.execs.agents) {
		id = m.execs.agents[c-1].ID
	}
	if id == m.execs.agentID {
		return nil, true
	}
	m.execs.agentID = id
	return m.requestRows(), true
}

// onFeedKey handles the feed's own keys.
func (m *Model) onFeedKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	f := m.currentFeed()
	if f == nil {
		return nil, false
	}
	km := m.keys
	switch {
	case key.Matches(k, km.Up.Binding):
		f.Up(1)
	case key.Matches(k, km.Down.Binding):
		f.Down(1)
	case key.Matches(k, km.PageUp.Binding):
		f.PageUp()
	case key.Matches(k, km.PageDown.Binding):
		f.PageDown()
	case key.Matches(k, km.Top.Binding):
		f.Top()
	case key.Matches(k, km.Bottom.Binding):
		f.Bottom()
	case key.Matches(k, km.Follow.Binding):
		f.ToggleFollow()
	case key.Matches(k, km.Wrap.Binding):
		f.ToggleWrap()
	case key.Matches(k, km.Timestamps.Binding):
		f.ToggleTimes()
	case key.Matches(k, km.FreezeFeed.Binding):
		f.ToggleFrozen()
	case key.Matches(k, km.Expand.Binding):
		f.ToggleExpand()
	case key.Matches(k, km.Search.Binding):
		return m.openInput(inputSearch, f.Query()), true
	case key.Matches(k, km.NextMatch.Binding):
		f.NextMatch()
	case key.Matches(k, km.PrevMatch.Binding):
		f.PrevMatch()
	default:
		return nil, false
	}
	return nil, true
}

// onListKey handles the list views (agents, inbox, profiles, pools).
func (m *Model) onListKey(k tea.KeyPressMsg) tea.Cmd {
	lp := m.lists[m.view]
	if lp == nil {
		return nil
	}
	if m.moveKey(k, &lp.table) {
		return nil
	}
	switch km := m.keys; {
	case key.Matches(k, km.Filter.Binding):
		return m.openInput(inputFilter, lp.filter)
	case key.Matches(k, km.Open.Binding):
		return m.openListItem()
	case key.Matches(k, km.Sort.Binding):
		return m.cycleSort(m.view, false)
	case key.Matches(k, km.SortReverse.Binding):
		return m.cycleSort(m.view, true)
	}
	return m.onViewActionKey(k)
}

// openListItem acts on the selected item of a list view.
func (m *Model) openListItem() tea.Cmd {
	lp := m.lists[m.view]
	i, ok := lp.selectedIndex()
	if !ok {
		return nil
	}
	switch m.view {
	case viewAgents:
		r := lp.data.([]agentRow)[i]
		m.execs.agentID = r.ID
		for j, a := range m.execs.agents {
			if a.ID == r.ID {
				m.agentPane.setCursor(j + 1)
			}
		}
		m.view, m.focus = viewExecutions, paneTable
		return m.requestRows()
	case viewInbox:
		w := m.inboxItems()[i]
		return m.selectExecution(w.ExecutionID, true)
	}
	return m.openCatalogItem(i)
}

// jumpToWaiting selects the next execution waiting for a human, oldest
// first, cycling; the reply box opens with its question.
func (m *Model) jumpToWaiting(focusReply bool) tea.Cmd {
	if m.snap == nil || len(m.snap.Waiting) == 0 {
		m.setFlash(flashInfo, "No agent is waiting for you.")
		return nil
	}
	waiting := m.snap.Waiting
	next := waiting[0]
	if i := slices.IndexFunc(waiting, func(w api.InteractionRequest) bool { return w.ExecutionID == m.execs.selID }); i >= 0 {
		next = waiting[(i+1)%len(waiting)]
	}
	return m.selectExecution(next.ExecutionID, focusReply)
}

// selectExecution shows the executions view with id selected, clearing
// filters that would hide it; with reply, the reply box then opens for it
// (only once it is selected, never for whatever was selected before).
func (m *Model) selectExecution(id string, reply bool) tea.Cmd {
	m.view = viewExecutions
	if m.focus == panePrompt || m.focus == paneAgents {
		m.focus = paneTable
	}
	if r, ok := m.execs.pos[id]; ok {
		m.execs.selID, m.execs.want, m.execs.wantReply = id, "", false
		m.execs.table.setCursor(r)
		cmd := m.selectionChanged()
		if reply {
			cmd = tea.Batch(cmd, m.focusReply())
		}
		return cmd
	}
	// Hidden by a filter, or not listed yet (just started): clear the
	// filters; applyRows selects it once it is there.
	m.execs.want, m.execs.wantReply = id, reply
	m.execs.filter, m.execs.agentID = "", ""
	m.agentPane.top()
	return tea.Batch(m.requestRows(), m.focusFeed(id))
}

// focusReply opens the reply box for the selected execution.
func (m *Model) focusReply() tea.Cmd {
	e, ok := m.selectedExec()
	if !ok {
		return nil
	}
	if !m.keys.Reply.Binding.Enabled() {
		m.setFlash(flashWarn, "Replying is not available here (read-only, or the platform cannot).")
		return nil
	}
	if e.Status.IsTerminal() {
		m.setFlash(flashWarn, "This execution has ended; there is nobody to reply to.")
		return nil
	}
	m.view, m.focus = viewExecutions, panePrompt
	m.reply.show(e.ID)
	return m.reply.ta.Focus()
}

// selectionChanged follows the selected execution: its feed, its draft and
// the rows the poller should keep fresh.
func (m *Model) selectionChanged() tea.Cmd {
	e, ok := m.selectedExec()
	if !ok {
		return m.focusFeed("")
	}
	m.execs.selID = e.ID
	return tea.Batch(m.focusFeed(e.ID), m.reportVisible())
}

// reportVisible tells the poller which executions are on screen, when that
// changed.
func (m *Model) reportVisible() tea.Cmd {
	l := &m.execs
	if l.snap == nil || m.src == nil {
		return nil
	}
	from, to := l.table.visible()
	ids := make([]string, 0, to-from)
	for r := from; r < to; r++ {
		ids = append(ids, l.snap.Executions[l.rows[r]].ID)
	}
	if slices.Equal(ids, m.visible) {
		return nil
	}
	m.visible = ids
	m.visibleGen++
	src, gen := m.src, m.visibleGen
	return func() tea.Msg { src.SetVisible(ids, gen); return nil }
}

// onPromptKey: the reply box has the keyboard.
func (m *Model) onPromptKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Send.Binding):
		return m.send(m.reply.execID)
	case key.Matches(k, m.keys.Leave.Binding):
		m.focus = paneFeed
		m.reply.ta.Blur()
		return nil
	}
	var cmd tea.Cmd
	m.reply.ta, cmd = m.reply.ta.Update(k)
	return tea.Batch(cmd, m.reply.changed(m.now))
}

// onPaste gives pasted text to whatever is being typed into.
func (m *Model) onPaste(p tea.PasteMsg) tea.Cmd {
	switch {
	case m.overlay != nil:
		var cmd tea.Cmd
		m.overlay, cmd = m.overlay.update(m, p)
		return cmd
	case m.input != nil:
		var cmd tea.Cmd
		*m.input, cmd = m.input.Update(p)
		return tea.Batch(cmd, m.inputChanged())
	case m.view == viewExecutions && m.focus == panePrompt:
		var cmd tea.Cmd
		m.reply.ta, cmd = m.reply.ta.Update(p)
		return tea.Batch(cmd, m.reply.changed(m.now))
	}
	return nil
}

// --- the line input --------------------------------------------------------

var commands = []string{"executions", "agents", "profiles", "pools", "inbox", "help", "quit"}

func (m *Model) openInput(target inputTarget, value string) tea.Cmd {
	ti := textinput.New()
	ti.SetStyles(m.st.TextInput())
	ti.SetWidth(max(m.w-12, 10))
	switch target {
	case inputCommand:
		ti.Prompt = ":"
		ti.ShowSuggestions = true
		ti.SetSuggestions(commands)
	case inputSearch:
		ti.Prompt = "search: "
	default:
		ti.Prompt = "filter: "
	}
	ti.SetValue(value)
	ti.CursorEnd()
	m.input, m.inputOf = &ti, target
	return ti.Focus()
}

func (m *Model) closeInput() {
	m.input, m.inputOf = nil, 0
}

func (m *Model) onInputKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter":
		value := strings.TrimSpace(m.input.Value())
		if m.inputOf == inputCommand {
			if s := m.input.CurrentSuggestion(); s != "" && value != "" && strings.HasPrefix(s, value) {
				value = s
			}
			m.closeInput()
			return m.runCommand(value)
		}
		m.closeInput() // keep the filter / search as typed
		return nil
	case "esc":
		target := m.inputOf
		m.input.SetValue("")
		cmd := m.inputChanged()
		if target == inputCommand {
			cmd = nil
		}
		m.closeInput()
		return cmd
	}
	var cmd tea.Cmd
	*m.input, cmd = m.input.Update(k)
	return tea.Batch(cmd, m.inputChanged())
}

// inputChanged applies the input live: the filter narrows as you type.
func (m *Model) inputChanged() tea.Cmd {
	v := m.input.Value()
	switch m.inputOf {
	case inputSearch:
		if f := m.currentFeed(); f != nil && f.Query() != v {
			return f.SetQuery(v)
		}
	case inputFilter:
		if m.view == viewExecutions {
			if m.execs.filter != v {
				m.execs.filter = v
				return m.requestRows()
			}
			return nil
		}
		if lp := m.lists[m.view]; lp != nil && lp.filter != v {
			lp.filter = v
			return m.refilter(m.view)
		}
	}
	return nil
}

// runCommand runs a ":" command.
func (m *Model) runCommand(c string) tea.Cmd {
	switch strings.ToLower(c) {
	case "", "executions", "execution", "exec", "ex", "e":
		return m.switchView(viewExecutions)
	case "agents", "agent", "ag", "a":
		return m.switchView(viewAgents)
	case "profiles", "profile", "prof", "pr":
		return m.switchView(viewProfiles)
	case "pools", "pool", "po":
		return m.switchView(viewPools)
	case "inbox", "needs", "waiting", "in", "i":
		return m.switchView(viewInbox)
	case "help", "h", "?":
		m.overlay = &helpOverlay{}
		return nil
	case "q", "quit", "exit":
		return m.quit()
	}
	m.setFlash(flashErr, "Unknown command :"+c+" — try :executions, :agents, :profiles, :pools, :inbox.")
	return nil
}
