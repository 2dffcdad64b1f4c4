package cli

import (
	"context"

	"github.com/agentop/agentop/api"
)

const (
	defaultLimit = 50  // --limit of list commands
	maxPageSize  = 100 // items asked for per request
)

// collect pages through a listing from page 1 until it has limit items or
// the listing ends.
func collect[T any](ctx context.Context, limit int, fetch func(ctx context.Context, page, size int) (api.Page[T], error)) ([]T, error) {
	size := min(limit, maxPageSize)
	var out []T
	for page := 1; len(out) < limit; page++ {
		p, err := fetch(ctx, page, size)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if !p.HasMore() {
			break
		}
	}
	return out[:min(len(out), limit)], nil
}

// checkLimit validates --limit.
func checkLimit(n int) error {
	if n < 1 {
		return usageErrorf("--limit must be at least 1")
	}
	return nil
}
