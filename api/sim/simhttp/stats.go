package simhttp

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// StatsPath is where a façade serves its request counts (GET, behind the
// façade's key).
const StatsPath = "/sim/stats"

// Stats counts the requests a façade served, by kind: method, path with ids
// replaced by {id}, and the query parameters that tell one use of an endpoint
// from another (see Key). It is safe for concurrent use.
type Stats struct {
	mu     sync.Mutex
	since  time.Time
	counts map[string]int64
}

// NewStats returns empty counts starting now.
func NewStats() *Stats { return &Stats{since: time.Now(), counts: map[string]int64{}} }

// StatsSnapshot is the counts at one moment, as GET /sim/stats returns them.
type StatsSnapshot struct {
	Since    time.Time        `json:"since"`
	Total    int64            `json:"total"`
	Requests map[string]int64 `json:"requests"` // Key → count
}

// Add counts one request of kind key.
func (s *Stats) Add(key string) {
	s.mu.Lock()
	s.counts[key]++
	s.mu.Unlock()
}

// Snapshot returns a copy of the counts.
func (s *Stats) Snapshot() StatsSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := StatsSnapshot{Since: s.since, Requests: make(map[string]int64, len(s.counts))}
	for k, n := range s.counts {
		out.Requests[k] = n
		out.Total += n
	}
	return out
}

// Reset zeroes the counts and restarts the clock.
func (s *Stats) Reset() {
	s.mu.Lock()
	s.since, s.counts = time.Now(), map[string]int64{}
	s.mu.Unlock()
}

// Sub returns the counts of a minus those of b (a later snapshot minus an
// earlier one).
func (a StatsSnapshot) Sub(b StatsSnapshot) StatsSnapshot {
	out := StatsSnapshot{Since: b.Since, Requests: map[string]int64{}}
	for k, n := range a.Requests {
		if d := n - b.Requests[k]; d != 0 {
			out.Requests[k] = d
			out.Total += d
		}
	}
	return out
}

// countedParams are the query parameters that make a request a different
// kind of request: an activities read with limit=1 is a peek, with limit=50
// a tail; a listing by status is not one by creation time.
var countedParams = []string{"status", "limit", "createdAfter", "createdBefore", "sortField", "order"}

// Key names the kind of r: "GET /agents/v2/executions/{id}/activities?limit=20".
// Path segments that look like ids become {id}; of the query, only the
// parameters in countedParams are kept (values of status and limit, the
// presence of the others), sorted.
func Key(r *http.Request) string {
	segs := strings.Split(r.URL.Path, "/")
	for i, s := range segs {
		if looksLikeID(s) {
			segs[i] = "{id}"
		}
	}
	key := r.Method + " " + strings.Join(segs, "/")
	var parts []string
	q := r.URL.Query()
	for _, p := range countedParams {
		vals, ok := q[p]
		if !ok {
			continue
		}
		switch p {
		case "status", "limit", "order", "sortField":
			v := slices.Clone(vals)
			slices.Sort(v)
			parts = append(parts, p+"="+url.QueryEscape(strings.Join(v, ",")))
		default:
			parts = append(parts, p)
		}
	}
	if len(parts) > 0 {
		slices.Sort(parts)
		key += "?" + strings.Join(parts, "&")
	}
	return key
}

// looksLikeID reports whether a path segment is an id rather than a name:
// a UUID, or any segment with a digit and a separator.
func looksLikeID(s string) bool {
	if len(s) == 36 && strings.Count(s, "-") == 4 {
		return true
	}
	return strings.ContainsAny(s, "0123456789") && strings.ContainsAny(s, "-_")
}

// Counted counts every request through next in s, except those for
// StatsPath, which it answers with s's counts as JSON. Put it inside
// authentication, outside fault injection: a faulted request still counts.
func Counted(s *Stats, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == StatsPath {
			if r.Method != http.MethodGet {
				http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(s.Snapshot())
			return
		}
		s.Add(Key(r))
		next.ServeHTTP(w, r)
	})
}
