package executions

import (
	"context"
	"fmt"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// bulkConcurrency is how many executions a bulk action acts on at once
// (the CLI's figure: the platform's rate limits stay far off).
const bulkConcurrency = 4

// bulkShown is how many executions a bulk confirmation names.
const bulkShown = 8

// bulkRun is a bulk action in progress, for the table's title.
type bulkRun struct {
	gen         uint64
	verb        string // "pausing"
	past        string // "paused"
	total, done int
	failed      int
}

// bulkStep is one execution's result; its Cmd waits for the next.
type bulkStep struct {
	gen    uint64
	result bulkResult
	next   chan bulkResult
}

// bulkResult is what happened to one execution.
type bulkResult struct {
	id  string
	err error
	end bool // the run is over (no execution: the closing message)
}

// markAll is the marks ctrl+a built off the loop: every execution the
// table lists.
type markAll struct {
	gen   uint64 // the rows generation it was built from
	marks map[string]bool
}

// toggleMark marks or unmarks the selected execution and moves down.
func (v *View) toggleMark() tea.Cmd {
	e, ok := v.selectedExec()
	if !ok {
		return nil
	}
	if v.marks[e.ID] {
		delete(v.marks, e.ID)
	} else {
		v.marks[e.ID] = true
	}
	v.rows.table.Apply(kit.LineDown)
	return v.selectionChanged()
}

// markAllRows marks every listed execution, in a Cmd (the table may list
// thousands); again with all marked, it clears the marks.
func (v *View) markAllRows() tea.Cmd {
	l := &v.rows
	if len(v.marks) > 0 && len(v.marks) >= len(l.rows) {
		v.marks = map[string]bool{}
		return nil
	}
	rows, snap, gen := l.rows, l.snap, l.gen
	return pane.Send(Name, func() tea.Msg {
		marks := make(map[string]bool, len(rows))
		for _, r := range rows {
			marks[snap.Executions[r].ID] = true
		}
		return markAll{gen: gen, marks: marks}
	})
}

// bulkAction is what p, r or x do with executions marked.
type bulkAction struct {
	verb, doing, done string
	allowed           func(api.Status) bool
	takes             func(api.Capabilities) bool
	call              func(api.Backend, context.Context, string) error
}

var (
	bulkPause  = bulkAction{"pause", "pausing", "paused", api.Status.CanPause, func(c api.Capabilities) bool { return c.Pause }, api.Backend.Pause}
	bulkResume = bulkAction{"resume", "resuming", "resumed", api.Status.CanResume, func(c api.Capabilities) bool { return c.Resume }, api.Backend.Resume}
	bulkCancel = bulkAction{"cancel", "cancelling", "cancelled", api.Status.CanCancel, func(c api.Capabilities) bool { return c.Cancel }, api.Backend.Cancel}
)

// startBulk asks before acting on the marked executions the action
// applies to, naming those it skips and why.
func (v *View) startBulk(a bulkAction) tea.Cmd {
	if v.bulk != nil {
		v.ctx.Flash(pane.Warn, "A bulk action is still running.")
		return nil
	}
	var ids, skipped []string
	for id := range v.marks {
		e, ok := v.ctx.Snap.Get(id)
		switch {
		case !ok:
			skipped = append(skipped, kit.ShortID(id)+" (gone)")
		case !a.allowed(e.Status) || !a.takes(v.ctx.CapsFor(e)):
			skipped = append(skipped, kit.ShortID(id)+" ("+sanitize.Line(string(e.Status))+")")
		default:
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		v.ctx.Flash(pane.Warn, fmt.Sprintf("None of the %d marked executions can be %s now.", len(v.marks), a.done))
		return nil
	}
	var body strings.Builder
	fmt.Fprintf(&body, "%s %d marked execution(s):", keys.Capitalise(a.verb), len(ids))
	for i, id := range ids {
		if i == bulkShown {
			fmt.Fprintf(&body, " … and %d more", len(ids)-bulkShown)
			break
		}
		body.WriteString(" " + kit.ShortID(id))
	}
	if len(skipped) > 0 {
		fmt.Fprintf(&body, "\n\nSkipped, as they cannot be %s: %s", a.done, strings.Join(skipped[:min(len(skipped), bulkShown)], ", "))
	}
	ctx := v.ctx
	ctx.Host.Open(overlay.NewConfirm(ctx, fmt.Sprintf("%s %d executions?", keys.Capitalise(a.verb), len(ids)), body.String(),
		keys.Capitalise(a.verb)+" them", "Do nothing", func() tea.Cmd { return v.runBulk(a, ids) }))
	return nil
}

// runBulk acts on ids, bulkConcurrency at a time, in a goroutine bound to
// the program's context; each result comes back as a bulkStep.
func (v *View) runBulk(a bulkAction, ids []string) tea.Cmd {
	v.bulkGen++
	v.bulk = &bulkRun{gen: v.bulkGen, verb: a.doing, past: a.done, total: len(ids)}
	v.bulkResults = nil
	gen, parent, be := v.bulkGen, v.ctx.Ctx, v.ctx.Backend
	results := make(chan bulkResult, len(ids)+1)
	go func() {
		sem := make(chan struct{}, bulkConcurrency)
		var wg sync.WaitGroup
		for _, id := range ids {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				c, cancel := context.WithTimeout(parent, kit.Timeout)
				defer cancel()
				results <- bulkResult{id: id, err: a.call(be, c, id)}
			}()
		}
		wg.Wait()
		results <- bulkResult{end: true}
	}()
	return waitBulk(gen, results)
}

func waitBulk(gen uint64, results chan bulkResult) tea.Cmd {
	return pane.Send(Name, func() tea.Msg { return bulkStep{gen: gen, result: <-results, next: results} })
}

// onBulkStep counts a result; at the end the marks of those done are
// cleared and the results are shown.
func (v *View) onBulkStep(m bulkStep) tea.Cmd {
	b := v.bulk
	if b == nil || m.gen != b.gen {
		return nil
	}
	r := m.result
	if !r.end {
		b.done++
		if r.err != nil {
			b.failed++
		} else {
			delete(v.marks, r.id)
		}
		v.bulkResults = append(v.bulkResults, r)
		return waitBulk(m.gen, m.next)
	}
	v.bulk = nil
	ok := b.done - b.failed
	summary := fmt.Sprintf("%s %d of %d execution(s).", keys.Capitalise(b.past), ok, b.total)
	if b.failed == 0 {
		v.ctx.Flash(pane.Note, summary)
	} else {
		v.ctx.Flash(pane.Err, fmt.Sprintf("%s %d failed: they stay marked.", summary, b.failed))
		results := v.bulkResults
		v.ctx.Host.Open(overlay.NewPage(v.ctx, "Bulk results", func(w int) []string { return bulkLines(v.ctx, results, w) }))
	}
	return kit.Nudge(v.ctx.Source)
}

// bulkLines is the per-execution result page.
func bulkLines(ctx *pane.Context, results []bulkResult, w int) []string {
	st := ctx.Styles
	out := make([]string, 0, len(results))
	for _, r := range results {
		if r.err != nil {
			out = append(out, " "+st.Err.Render("✗ "+kit.ShortID(r.id))+" "+kit.ErrText(r.err))
		} else {
			out = append(out, " "+st.Ok.Render("✓ "+kit.ShortID(r.id)))
		}
	}
	return kit.PadAll(out, w)
}

// bulkTitle is the table title's part about marks and a running action.
func (v *View) bulkTitle() string {
	s := ""
	if n := len(v.marks); n > 0 {
		s = fmt.Sprintf(" · %d marked", n)
	}
	if b := v.bulk; b != nil {
		s += fmt.Sprintf(" · %s %d/%d", b.verb, b.done, b.total)
		if b.failed > 0 {
			s += fmt.Sprintf(", %d failed", b.failed)
		}
	}
	return s
}
