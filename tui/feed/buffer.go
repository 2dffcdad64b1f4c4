// Package feed is the dashboard's activity feed: a capped ring of entries per
// execution and a view that renders only the lines on screen, with follow
// (sticky bottom), wrap, search with n/N, pause, timestamps and an expanded
// raw-JSON view of one activity.
package feed

import (
	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
)

// Entry is one feed line's data. Text and Body are sanitised.
type Entry struct {
	Act  api.Activity
	Text string // one line
	Body string // full prose (multi-line) when the activity carries some; else ""
	Gap  bool   // a marker: activities may be missing here
}

// FromActivity sanitises an activity into an entry.
func FromActivity(a api.Activity) Entry {
	e := Entry{Act: a, Text: sanitize.Line(a.Text)}
	if a.Message != "" {
		body := sanitize.Text(a.Message)
		if body != e.Text {
			e.Body = body
		}
	}
	if e.Text == "" {
		e.Text = sanitize.Line(string(a.Kind))
	}
	return e
}

const chunkSize = 256

type chunk [chunkSize]Entry

// Buffer is a capped ring of entries addressed by sequence number: the n-th
// entry ever appended has seq n. It is stored in fixed-size chunks; a chunk
// is never changed after its slots are written, and appending writes only
// slots no reader has been shown, so a Window taken from a buffer stays valid
// (and race-free) while the buffer keeps growing.
type Buffer struct {
	chunks []*chunk
	head   int    // index in chunks[0] of the oldest entry
	n      int    // entries held
	first  uint64 // seq of the oldest entry
	limit  int
	// OnEvict, when set, is called for each entry dropped from the front.
	OnEvict func(*Entry)
}

// NewBuffer returns a buffer that keeps about the newest limit entries (at
// least limit, at most limit + one chunk).
func NewBuffer(limit int) *Buffer {
	if limit < 1 {
		limit = 1
	}
	return &Buffer{limit: limit}
}

// Len is the number of entries held.
func (b *Buffer) Len() int { return b.n }

// First is the seq of the oldest entry held.
func (b *Buffer) First() uint64 { return b.first }

// End is one past the seq of the newest entry.
func (b *Buffer) End() uint64 { return b.first + uint64(b.n) }

// At returns the entry with seq, or nil when it is not held.
func (b *Buffer) At(seq uint64) *Entry {
	if seq < b.first || seq >= b.End() {
		return nil
	}
	i := b.head + int(seq-b.first)
	return &b.chunks[i/chunkSize][i%chunkSize]
}

// Append adds entries at the end, dropping the oldest beyond the limit.
func (b *Buffer) Append(es ...Entry) {
	for _, e := range es {
		i := b.head + b.n
		if i/chunkSize == len(b.chunks) {
			b.chunks = append(b.chunks, new(chunk))
		}
		b.chunks[i/chunkSize][i%chunkSize] = e
		b.n++
	}
	// Drop whole chunks only, so retained chunks are never touched again.
	for b.n-(chunkSize-b.head) >= b.limit && len(b.chunks) > 1 {
		dropped := chunkSize - b.head
		if b.OnEvict != nil {
			for i := b.head; i < chunkSize; i++ {
				b.OnEvict(&b.chunks[0][i])
			}
		}
		b.chunks[0] = nil
		b.chunks = b.chunks[1:]
		b.n -= dropped
		b.first += uint64(dropped)
		b.head = 0
	}
}

// Window is a read-only view of a buffer's entries at one moment, safe to
// read from another goroutine while the buffer grows.
type Window struct {
	chunks []*chunk
	head   int
	n      int
	first  uint64
}

// Window captures the entries held now (O(chunks), no copying of entries).
func (b *Buffer) Window() Window {
	return Window{chunks: append([]*chunk(nil), b.chunks...), head: b.head, n: b.n, first: b.first}
}

// Each calls fn for every entry in seq order until fn returns false.
func (w Window) Each(fn func(seq uint64, e *Entry) bool) {
	for k := 0; k < w.n; k++ {
		i := w.head + k
		if !fn(w.first+uint64(k), &w.chunks[i/chunkSize][i%chunkSize]) {
			return
		}
	}
}
