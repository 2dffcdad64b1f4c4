package spantree

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func span(id, parent string, sec int, state string) api.Activity {
	return api.Activity{ID: id, ParentID: parent, Time: t0.Add(time.Duration(sec) * time.Second), State: state,
		Text: id, ActionName: "tool", Raw: json.RawMessage(`{"id":"` + id + `","payload":{"inputs":{"q":1}}}`)}
}

// ids lists the visible rows: a span's id, indented by depth; payload
// lines as "|".
func ids(t *Tree) []string {
	var out []string
	for _, r := range t.Rows(0, t.Len()) {
		if r.Payload {
			out = append(out, strings.Repeat(" ", r.Depth)+"|")
			continue
		}
		out = append(out, strings.Repeat(" ", r.Depth)+r.Activity.ID)
	}
	return out
}

func sample() *Tree {
	t := New()
	for _, a := range []api.Activity{
		span("run", "", 0, "active"),
		span("step1", "run", 1, "complete"),
		span("llm", "step1", 2, "complete"),
		span("tool", "step1", 3, "failed"),
		span("step2", "run", 4, "active"),
		span("ask", "step2", 5, "active"),
	} {
		t.Upsert(a)
	}
	return t
}

func TestRowsFlattenTheForestDepthFirst(t *testing.T) {
	tr := sample()
	assert.Equal(t, []string{"run", " step1", "  llm", "  tool", " step2", "  ask"}, ids(tr))
	assert.Equal(t, 6, tr.Len())
	assert.Equal(t, []string{" step2", "  ask"}, func() []string {
		var out []string
		for _, r := range tr.Rows(4, 10) {
			out = append(out, strings.Repeat(" ", r.Depth)+r.Activity.ID)
		}
		return out
	}())
	assert.Nil(t, tr.Rows(6, 10))
}

func TestFoldHidesASubtreeAndUnfoldRestoresIt(t *testing.T) {
	tr := sample()
	require.True(t, tr.Toggle("step1"))
	assert.Equal(t, []string{"run", " step1", " step2", "  ask"}, ids(tr))
	assert.Equal(t, -1, tr.IndexOf("llm"), "hidden under a fold")
	assert.Equal(t, 2, tr.IndexOf("step2"))
	// What arrives under a folded span stays hidden, and is there on unfold.
	tr.Upsert(span("tool2", "step1", 3, "active"))
	assert.Equal(t, 4, tr.Len())
	require.True(t, tr.Toggle("step1"))
	assert.Equal(t, []string{"run", " step1", "  llm", "  tool", "  tool2", " step2", "  ask"}, ids(tr))
	assert.False(t, tr.Toggle("llm"), "a leaf does not fold")
	tr.SetFolded("run", true)
	assert.Equal(t, []string{"run"}, ids(tr))
}

func TestASpanChangesInPlace(t *testing.T) {
	tr := sample()
	before := tr.IndexOf("ask")
	changed := span("ask", "elsewhere", 5, "complete")
	changed.Duration = 3 * time.Second
	assert.False(t, tr.Upsert(changed), "not new")
	assert.Equal(t, before, tr.IndexOf("ask"), "same row")
	assert.Equal(t, 6, tr.Len())
	a, _ := tr.Get("ask")
	assert.Equal(t, "complete", a.State)
	assert.Equal(t, "step2", a.ParentID, "a span does not move")
	assert.Contains(t, Line(tr.Rows(before, 1)[0], 80, t0), "✓ ask")
}

func TestChildrenBeforeTheirParentAreAdopted(t *testing.T) {
	tr := New()
	tr.Upsert(span("llm", "step", 2, "complete"))
	tr.Upsert(span("tool", "step", 3, "complete"))
	assert.Equal(t, []string{"llm", "tool"}, ids(tr))
	tr.Upsert(span("run", "", 0, "active"))
	tr.Upsert(span("step", "run", 1, "active"))
	assert.Equal(t, []string{"run", " step", "  llm", "  tool"}, ids(tr))
}

func TestACycleInTheDataDoesNotHang(t *testing.T) {
	tr := New()
	tr.Upsert(span("a", "b", 0, "active")) // waits for b
	tr.Upsert(span("b", "a", 1, "active")) // b under a: adopting a would close a loop
	assert.Equal(t, []string{"a", " b"}, ids(tr))
}

func TestSiblingsKeepTimeOrder(t *testing.T) {
	tr := New()
	tr.Upsert(span("run", "", 0, "active"))
	tr.Upsert(span("c", "run", 30, "active"))
	tr.Upsert(span("a", "run", 10, "active"))
	tr.Upsert(span("b", "run", 20, "active"))
	assert.Equal(t, []string{"run", " a", " b", " c"}, ids(tr))
}

func TestExpandShowsThePayload(t *testing.T) {
	tr := sample()
	tr.Expand("llm", true)
	rows := tr.Rows(tr.IndexOf("llm"), 20)
	require.Greater(t, len(rows), 3)
	assert.False(t, rows[0].Payload)
	assert.True(t, rows[1].Payload)
	assert.Equal(t, "{", rows[1].Line)
	assert.Equal(t, tr.IndexOf("llm")+1+len(payloadLines(span("llm", "", 0, "").Raw)), tr.IndexOf("tool"))
	// An update refreshes the expanded payload.
	changed := span("llm", "step1", 2, "complete")
	changed.Raw = json.RawMessage(`{"a":1}`)
	tr.Upsert(changed)
	assert.Equal(t, tr.IndexOf("llm")+4, tr.IndexOf("tool"))
	tr.Expand("llm", false)
	assert.Equal(t, tr.IndexOf("llm")+1, tr.IndexOf("tool"))
}

// naive flattens a forest the slow, obvious way.
type naive struct {
	order  []string // insertion order
	acts   map[string]api.Activity
	folded map[string]bool
	expand map[string]bool
}

func (n *naive) rows() []string {
	kids := map[string][]api.Activity{}
	for _, id := range n.order {
		a := n.acts[id]
		p := a.ParentID
		if _, ok := n.acts[p]; !ok {
			p = ""
		}
		kids[p] = append(kids[p], a)
	}
	for k := range kids {
		l := kids[k]
		// stable by time, insertion order among equals
		for i := 1; i < len(l); i++ {
			for j := i; j > 0 && l[j].Time.Before(l[j-1].Time); j-- {
				l[j], l[j-1] = l[j-1], l[j]
			}
		}
	}
	var out []string
	var walk func(id string, depth int)
	walk = func(p string, depth int) {
		for _, a := range kids[p] {
			out = append(out, fmt.Sprintf("%d:%s", depth, a.ID))
			if n.expand[a.ID] {
				for range payloadLines(a.Raw) {
					out = append(out, fmt.Sprintf("%d:%s|", depth, a.ID))
				}
			}
			if !n.folded[a.ID] || len(kids[a.ID]) == 0 {
				walk(a.ID, depth+1)
			}
		}
	}
	walk("", 0)
	return out
}

func flat(t *Tree, off, n int) []string {
	var out []string
	for _, r := range t.Rows(off, n) {
		s := fmt.Sprintf("%d:%s", r.Depth, r.Activity.ID)
		if r.Payload {
			s += "|"
		}
		out = append(out, s)
	}
	return out
}

// TestAgreesWithTheObviousFlattening: random forests, folds, expansions and
// updates give the rows a naive flattening gives, at every offset.
func TestAgreesWithTheObviousFlattening(t *testing.T) {
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 1))
		tr := New()
		nv := &naive{acts: map[string]api.Activity{}, folded: map[string]bool{}, expand: map[string]bool{}}
		var all []string
		promised := map[string]bool{}
		for step := range 300 {
			switch op := rng.IntN(10); {
			case op < 6 || len(all) == 0:
				id := fmt.Sprintf("s%03d", step)
				parent := ""
				if len(all) > 0 && rng.IntN(5) > 0 {
					parent = all[rng.IntN(len(all))]
				}
				if rng.IntN(15) == 0 {
					parent = fmt.Sprintf("s%03d", step+1+rng.IntN(20)) // arrives later
					promised[parent] = true
				}
				if promised[id] {
					parent = "" // what orphans wait for comes as a root (no cycles)
				}
				a := span(id, parent, rng.IntN(200), "active")
				tr.Upsert(a)
				nv.acts[id], nv.order = a, append(nv.order, id)
				all = append(all, id)
			case op < 8:
				id := all[rng.IntN(len(all))]
				if tr.Toggle(id) {
					nv.folded[id] = !nv.folded[id]
				}
			case op < 9:
				id := all[rng.IntN(len(all))]
				on := !tr.Expanded(id)
				tr.Expand(id, on)
				nv.expand[id] = on
			default:
				id := all[rng.IntN(len(all))]
				a := nv.acts[id]
				a.State = "complete"
				tr.Upsert(a)
				nv.acts[id] = a
			}
		}
		want := nv.rows()
		// Orphans that never found a parent are roots in both.
		require.Equal(t, len(want), tr.Len(), "seed %d", seed)
		require.Equal(t, want, flat(tr, 0, tr.Len()), "seed %d", seed)
		for range 20 {
			off := rng.IntN(len(want))
			n := 1 + rng.IntN(30)
			require.Equal(t, want[off:min(off+n, len(want))], flat(tr, off, n), "seed %d window %d+%d", seed, off, n)
		}
		for i, w := range want {
			if strings.HasSuffix(w, "|") {
				continue
			}
			id := w[strings.IndexByte(w, ':')+1:]
			require.Equal(t, i, tr.IndexOf(id), "seed %d: row of %s", seed, id)
		}
	}
}

func TestLine(t *testing.T) {
	a := span("tool", "step", 0, "failed")
	a.Text = "send_email \x1b[31mred\x1b[0m"
	a.Duration = 1500 * time.Millisecond
	l := Line(Row{Activity: a, Depth: 2}, 60, t0)
	assert.True(t, strings.HasPrefix(l, "      ✗ send_email"), l)
	assert.NotContains(t, l, "\x1b")
	assert.True(t, strings.HasSuffix(l, "1.5s"), l)
	assert.Equal(t, 60, len([]rune(l)))
	open := span("run", "", 0, "active")
	assert.Contains(t, Line(Row{Activity: open, HasChildren: true}, 60, t0.Add(95*time.Second)), "open 1m35s")
	assert.Contains(t, Line(Row{Activity: open, HasChildren: true, Folded: true}, 60, t0), "▸ ● run")
	assert.Contains(t, Line(Row{Activity: open, Depth: 1, Payload: true, Line: `"x": 1`}, 60, t0), `│ "x": 1`)
	assert.Equal(t, "2h05m", short(2*time.Hour+5*time.Minute))
}
