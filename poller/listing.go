package poller

import (
	"context"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
)

// listing is the outcome of paging through one execution query.
type listing struct {
	items []api.Execution // every item of every page that answered, deduplicated
	total int             // as the first page reported it
	// complete: every page answered and they agree on the total, so an
	// execution missing from items is not in the result set (unless the
	// set changed while the pages were read: see consistent).
	complete bool
	// consistent: complete, and every page reported the same total with as
	// many distinct items as that total (the set did not move while paged).
	consistent bool
	err        error // the first failure, if any
	// capped: the platform's listing cap (or MaxActive) stopped it, not a
	// failure: some executions are not in items and nothing says which.
	capped   bool
	requests int // the requests it took
}

// poll runs one request under the poll deadline: a hung request fails fast
// instead of freezing the picture (actions have their own, longer timeout).
func poll[T any](ctx context.Context, timeout time.Duration, call func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return call(ctx)
}

// listAll pages through q: the first page, then the others concurrently (at
// most ListConcurrency at once, each under its own deadline, so one slow page
// does not hold the others), up to maxItems. A page that fails leaves the
// listing incomplete but keeps what the other pages returned.
func (p *Poller) listAll(ctx context.Context, q api.ExecutionQuery, maxItems int) listing {
	cfg := p.cfg
	q.Page = 1
	if q.PageSize <= 0 {
		q.PageSize = cfg.PageSize
	}
	first, err := poll(ctx, cfg.PollTimeout, func(ctx context.Context) (api.Page[api.Execution], error) {
		return cfg.Backend.ListExecutions(ctx, q)
	})
	if err != nil {
		return listing{err: err, requests: 1}
	}
	out := listing{total: first.Total, complete: true, consistent: true, requests: 1}
	seen := map[string]bool{}
	add := func(items []api.Execution) {
		for _, e := range items {
			if !seen[e.ID] {
				seen[e.ID] = true
				out.items = append(out.items, e)
			}
		}
	}
	add(first.Items)
	if first.Capped {
		// The platform stopped at its cap: what lies beyond is unknown, not
		// gone. Narrow the query per agent where it can be narrowed.
		if len(out.items) < maxItems { // more were asked for than the cap serves
			if fan, ok := p.fanOut(ctx, q, maxItems); ok {
				fan.requests++
				return fan
			}
		}
		out.complete, out.consistent, out.capped = false, false, true
		return out
	}
	size := first.PageSize // the server's, which may be smaller than asked
	if size <= 0 {
		size = max(len(first.Items), 1)
	}
	if !first.HasMore() {
		out.consistent = first.TotalUnknown || len(out.items) == out.total
		return out
	}
	if len(out.items) >= maxItems {
		// Capped: what lies beyond the cap is unknown, not gone.
		out.complete, out.consistent, out.capped = false, false, true
		return out
	}
	if first.Next != "" || first.TotalUnknown {
		// Paged by cursor: one page after another.
		return p.listByCursor(ctx, q, first, out, add, maxItems)
	}
	pages := (min(first.Total, maxItems) + size - 1) / size
	out.requests = max(pages, 1)
	results := make([]api.Page[api.Execution], pages+1)
	errs := make([]error, pages+1)
	var wg sync.WaitGroup
	sem := make(chan struct{}, cfg.ListConcurrency)
	for n := 2; n <= pages; n++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[n] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			pq := q
			pq.Page, pq.PageSize = n, size
			results[n], errs[n] = poll(ctx, cfg.PollTimeout, func(ctx context.Context) (api.Page[api.Execution], error) {
				return cfg.Backend.ListExecutions(ctx, pq)
			})
		}()
	}
	wg.Wait()
	for n := 2; n <= pages; n++ {
		if errs[n] != nil {
			out.complete, out.consistent = false, false
			if out.err == nil {
				out.err = errs[n]
			}
			continue
		}
		if results[n].Total != out.total {
			out.consistent = false
		}
		add(results[n].Items)
	}
	switch {
	case out.total > maxItems:
		out.complete, out.consistent = false, false
	case out.complete && len(out.items) != out.total:
		out.consistent = false
	}
	return out
}

// listByCursor follows Next cursors after the first page, sequentially.
func (p *Poller) listByCursor(ctx context.Context, q api.ExecutionQuery, page api.Page[api.Execution], out listing, add func([]api.Execution), maxItems int) listing {
	cfg := p.cfg
	for page.HasMore() && len(out.items) < maxItems {
		q.Cursor, q.Page = page.Next, q.Page+1
		next, err := poll(ctx, cfg.PollTimeout, func(ctx context.Context) (api.Page[api.Execution], error) {
			return cfg.Backend.ListExecutions(ctx, q)
		})
		out.requests++
		if err != nil {
			out.complete, out.consistent, out.err = false, false, err
			return out
		}
		add(next.Items)
		page = next
	}
	return out
}

// parallel runs fn for each of n items, at most limit at once, and waits.
func parallel(ctx context.Context, n, limit int, fn func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(limit, 1))
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(i)
		}()
	}
	wg.Wait()
}

// budget is a token bucket: rate tokens a minute, up to burst saved.
type budget struct {
	rate   float64 // per minute
	burst  float64
	tokens float64
	at     time.Time
}

func newBudget(perMinute, burst int) budget {
	return budget{rate: float64(perMinute), burst: float64(burst), tokens: float64(burst)}
}

// take spends one token if there is one.
func (b *budget) take(now time.Time) bool {
	if !b.at.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.at).Minutes()*b.rate)
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
