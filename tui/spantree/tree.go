// Package spantree is the model of a feed that is a tree of spans whose
// entries change (Prefactor: an agent span with llm and tool children,
// each active until it completes or fails): the forest of entries, each
// span's fold and payload-expansion state, and the visible rows they give.
//
// Every operation costs what is visible or the depth of the tree, never the
// number of spans: each node keeps its visible row count and a Fenwick tree
// over its children's, so finding the row at an offset is O(depth · log
// fan-out), reading a window of n rows O(n) more, and an insert, an update
// in place or a fold O(depth · log fan-out). A feed pane keeps one Tree,
// upserts what the poller delivers and renders Rows(offset, height).
package spantree

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/agentop/agentop/api"
)

// MaxPayloadLines bounds the rows an expanded payload takes.
const MaxPayloadLines = 40

type node struct {
	act      api.Activity
	parent   *node
	kids     []*node
	fw       fenwick // the kids' visible row counts
	idx      int     // index among the parent's kids
	depth    int
	folded   bool
	expanded bool
	payload  []string // the expanded payload's lines
	vis      int      // rows this node shows: itself, its payload, its unfolded kids
}

// own is the rows of the node itself: its line and its payload's.
func (n *node) own() int { return 1 + len(n.payload) }

// Tree is a forest of spans. The zero value is not usable; call New.
type Tree struct {
	root    node // virtual: its kids are the top-level spans
	nodes   map[string]*node
	orphans map[string][]*node // by the parent id they wait for
}

// New returns an empty tree.
func New() *Tree {
	t := &Tree{nodes: map[string]*node{}, orphans: map[string][]*node{}}
	t.root.depth = -1
	return t
}

// Len is the number of visible rows.
func (t *Tree) Len() int { return t.root.fw.total() }

// Spans is the number of spans held.
func (t *Tree) Spans() int { return len(t.nodes) }

// Get returns the span with id.
func (t *Tree) Get(id string) (api.Activity, bool) {
	n, ok := t.nodes[id]
	if !ok {
		return api.Activity{}, false
	}
	return n.act, true
}

// Upsert adds a span, or replaces the one with its ID in place (a span that
// changed: its state, duration, payload). A span whose parent has not
// arrived yet shows at the top level until it does. It reports whether the
// span was new.
func (t *Tree) Upsert(a api.Activity) bool {
	if n, ok := t.nodes[a.ID]; ok {
		a.ParentID = n.act.ParentID // a span does not move
		n.act = a
		if n.expanded {
			t.setPayload(n, payloadLines(a.Raw))
		}
		return false
	}
	n := &node{act: a, vis: 1}
	t.nodes[a.ID] = n
	parent := &t.root
	if p, ok := t.nodes[a.ParentID]; ok && a.ParentID != "" {
		parent = p
	} else if a.ParentID != "" {
		t.orphans[a.ParentID] = append(t.orphans[a.ParentID], n)
	}
	t.attach(parent, n)
	if waiting := t.orphans[a.ID]; len(waiting) > 0 {
		delete(t.orphans, a.ID)
		for _, o := range waiting {
			if t.isAncestor(o, n) {
				continue // a cycle in the data: the orphan stays at the top level
			}
			t.detach(o)
			t.attach(n, o)
		}
	}
	return true
}

// isAncestor reports whether a is n or above it.
func (t *Tree) isAncestor(a, n *node) bool {
	for p := n; p != nil && p != &t.root; p = p.parent {
		if p == a {
			return true
		}
	}
	return false
}

// attach places n under p, in time order (appending when it is the newest,
// the common case).
func (t *Tree) attach(p, n *node) {
	n.parent = p
	t.setDepth(n, p.depth+1)
	k := len(p.kids)
	if k > 0 && n.act.Time.Before(p.kids[k-1].act.Time) {
		i := sort.Search(k, func(i int) bool { return n.act.Time.Before(p.kids[i].act.Time) })
		p.kids = append(p.kids, nil)
		copy(p.kids[i+1:], p.kids[i:])
		p.kids[i] = n
		t.reindex(p)
	} else {
		n.idx = k
		p.kids = append(p.kids, n)
		p.fw.push(n.vis)
	}
	t.grow(p, n.vis)
}

// detach removes n from its parent.
func (t *Tree) detach(n *node) {
	p := n.parent
	p.kids = append(p.kids[:n.idx], p.kids[n.idx+1:]...)
	t.reindex(p)
	t.grow(p, -n.vis)
	n.parent = nil
}

func (t *Tree) reindex(p *node) {
	vs := make([]int, len(p.kids))
	for i, k := range p.kids {
		k.idx, vs[i] = i, k.vis
	}
	p.fw.rebuild(vs)
}

func (t *Tree) setDepth(n *node, d int) {
	n.depth = d
	for _, k := range n.kids {
		t.setDepth(k, d+1)
	}
}

// grow adds d rows below p (already counted in p's Fenwick tree when p is
// the direct parent of what changed) and carries the change up while it is
// visible.
func (t *Tree) grow(p *node, d int) {
	for d != 0 && p != &t.root {
		if p.folded {
			return
		}
		p.vis += d
		p.parent.fw.add(p.idx, d)
		p = p.parent
	}
}

// resize sets n's own visible count and carries the difference up.
func (t *Tree) resize(n *node) {
	v := n.own()
	if !n.folded {
		v += n.fw.total()
	}
	d := v - n.vis
	if d == 0 {
		return
	}
	n.vis = v
	n.parent.fw.add(n.idx, d)
	t.grow(n.parent, d)
}

// Toggle folds or unfolds the span with id; it reports whether the span
// exists and has children.
func (t *Tree) Toggle(id string) bool {
	n, ok := t.nodes[id]
	if !ok || len(n.kids) == 0 {
		return false
	}
	n.folded = !n.folded
	t.resize(n)
	return true
}

// SetFolded folds or unfolds the span with id.
func (t *Tree) SetFolded(id string, folded bool) {
	if n, ok := t.nodes[id]; ok && n.folded != folded && len(n.kids) > 0 {
		n.folded = folded
		t.resize(n)
	}
}

// Folded reports whether the span with id is folded.
func (t *Tree) Folded(id string) bool {
	n, ok := t.nodes[id]
	return ok && n.folded
}

// Expand shows (or hides) the span's payload under its line.
func (t *Tree) Expand(id string, on bool) {
	n, ok := t.nodes[id]
	if !ok || n.expanded == on {
		return
	}
	n.expanded = on
	if on {
		t.setPayload(n, payloadLines(n.act.Raw))
	} else {
		t.setPayload(n, nil)
	}
}

// Expanded reports whether the span's payload is shown.
func (t *Tree) Expanded(id string) bool {
	n, ok := t.nodes[id]
	return ok && n.expanded
}

func (t *Tree) setPayload(n *node, lines []string) {
	n.payload = lines
	t.resize(n)
}

// payloadLines is the indented JSON of raw, at most MaxPayloadLines lines.
func payloadLines(raw json.RawMessage) []string {
	if len(bytes.TrimSpace(raw)) == 0 {
		return []string{"(no payload)"}
	}
	var b bytes.Buffer
	if json.Indent(&b, raw, "", "  ") != nil {
		return []string{"(the payload is not JSON)"}
	}
	lines := strings.Split(b.String(), "\n")
	if len(lines) > MaxPayloadLines {
		lines = append(lines[:MaxPayloadLines-1], "…")
	}
	return lines
}

// Row is one visible row: a span's own line, or line Line of its expanded
// payload.
type Row struct {
	Activity    api.Activity
	Depth       int
	HasChildren bool
	Folded      bool
	Payload     bool   // a payload line, not the span's own
	Line        string // the payload line
}

// cursor is a position among the rows: a node and which of its own rows
// (-1: its line; i ≥ 0: payload line i).
type cursor struct {
	n   *node
	sub int
}

// locate finds visible row k (0 ≤ k < Len).
func (t *Tree) locate(k int) cursor {
	n := &t.root
	for {
		if n != &t.root {
			if k == 0 {
				return cursor{n, -1}
			}
			k--
			if k < len(n.payload) {
				return cursor{n, k}
			}
			k -= len(n.payload)
		}
		i, before := n.fw.search(k)
		k -= before
		n = n.kids[i]
	}
}

// next moves c to the following visible row; false at the end.
func (t *Tree) next(c cursor) (cursor, bool) {
	n := c.n
	if c.sub+1 < len(n.payload) {
		return cursor{n, c.sub + 1}, true
	}
	if !n.folded && len(n.kids) > 0 {
		return cursor{n.kids[0], -1}, true
	}
	for n != &t.root {
		p := n.parent
		if n.idx+1 < len(p.kids) {
			return cursor{p.kids[n.idx+1], -1}, true
		}
		n = p
	}
	return cursor{}, false
}

// Rows returns up to count visible rows from offset.
func (t *Tree) Rows(offset, count int) []Row {
	if offset < 0 {
		offset = 0
	}
	if offset >= t.Len() || count <= 0 {
		return nil
	}
	out := make([]Row, 0, min(count, t.Len()-offset))
	c, ok := t.locate(offset), true
	for ; ok && len(out) < count; c, ok = t.next(c) {
		r := Row{Activity: c.n.act, Depth: c.n.depth, HasChildren: len(c.n.kids) > 0, Folded: c.n.folded}
		if c.sub >= 0 {
			r.Payload, r.Line = true, c.n.payload[c.sub]
		}
		out = append(out, r)
	}
	return out
}

// IndexOf is the visible row of the span with id, or -1 when it is hidden
// under a folded span (or unknown).
func (t *Tree) IndexOf(id string) int {
	n, ok := t.nodes[id]
	if !ok {
		return -1
	}
	idx := n.parent.fw.prefix(n.idx)
	for p := n.parent; p != &t.root; p = p.parent {
		if p.folded {
			return -1
		}
		idx += p.own() + p.parent.fw.prefix(p.idx)
	}
	return idx
}
