package spantree

import (
	"fmt"
	"testing"
	"time"

	"github.com/agentop/agentop/api"
)

// buildTree is n spans shaped like a long agent run: one root, steps of
// 20 children each (llm and tool spans), every tenth step folded.
func buildTree(n int) *Tree {
	t := New()
	t.Upsert(api.Activity{ID: "run", Time: t0, State: "active", Text: "agent run"})
	step := ""
	for i := 1; i < n; i++ {
		at := t0.Add(time.Duration(i) * time.Millisecond)
		if i%21 == 1 {
			step = fmt.Sprintf("step%06d", i)
			t.Upsert(api.Activity{ID: step, ParentID: "run", Time: at, State: "complete", Text: "step", Duration: time.Second})
			continue
		}
		t.Upsert(api.Activity{ID: fmt.Sprintf("s%06d", i), ParentID: step, Time: at, State: "complete",
			Text: "tool call lookup_customer", Duration: 850 * time.Millisecond})
	}
	return t
}

var sink []string

// BenchmarkFrame renders one 50-row window of the feed, in the middle of
// the tree: the per-frame cost, which must not grow with the span count.
func BenchmarkFrame(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		t := buildTree(n)
		mid := t.Len() / 2
		b.Run(fmt.Sprintf("spans=%d", n), func(b *testing.B) {
			for b.Loop() {
				sink = t.View(mid, 50, 120, t0)
			}
		})
	}
}

// BenchmarkUpdateInPlace is one span changing (active → complete) and the
// window being read again.
func BenchmarkUpdateInPlace(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		t := buildTree(n)
		a, _ := t.Get(fmt.Sprintf("s%06d", n/2|2))
		mid := t.Len() / 2
		b.Run(fmt.Sprintf("spans=%d", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				a.State = []string{"active", "complete"}[i%2]
				t.Upsert(a)
				_ = t.Rows(mid, 50)
			}
		})
	}
}

// BenchmarkFold folds and unfolds a step in the middle of the tree.
func BenchmarkFold(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		t := buildTree(n)
		id := fmt.Sprintf("step%06d", (n/2/21)*21+1)
		b.Run(fmt.Sprintf("spans=%d", n), func(b *testing.B) {
			for b.Loop() {
				t.Toggle(id)
			}
		})
	}
}

// BenchmarkAppend adds new spans at the end of a large tree.
func BenchmarkAppend(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("spans=%d", n), func(b *testing.B) {
			t := buildTree(n)
			t.Upsert(api.Activity{ID: "tail", ParentID: "run", Time: t0.Add(time.Hour)})
			for i := 0; b.Loop(); i++ {
				t.Upsert(api.Activity{ID: fmt.Sprintf("new%d", i), ParentID: "tail", Time: t0.Add(time.Hour + time.Duration(i))})
			}
		})
	}
}
