package sim

import (
	"container/heap"
	"time"
)

// event is something due to happen at a point in simulated time.
type event struct {
	at   time.Time
	seq  uint64 // schedule order; breaks ties between events due at once
	fn   func()
	dead bool // cancelled; skipped when popped
}

// cancel stops e from running; a nil e is fine.
func (e *event) cancel() {
	if e != nil {
		e.dead = true
	}
}

// queue is a min-heap of events by (at, seq).
type queue []*event

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*event)) }
func (q *queue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return e
}

// popDue removes and returns the next live event due at or before now.
func (q *queue) popDue(now time.Time) *event {
	for q.Len() > 0 {
		if (*q)[0].at.After(now) {
			return nil
		}
		e := heap.Pop(q).(*event)
		if !e.dead {
			return e
		}
	}
	return nil
}

// next returns when the next live event is due.
func (q *queue) next() (time.Time, bool) {
	for q.Len() > 0 {
		if !(*q)[0].dead {
			return (*q)[0].at, true
		}
		heap.Pop(q)
	}
	return time.Time{}, false
}
