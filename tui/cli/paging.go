package cli

import (
	"context"

	"github.com/agentop/agentop/api"
)

const (
	defaultLimit = 50  // --limit of list commands
	maxPageSize  = 100 // items asked for per request
)

// pageAt says which page to fetch: by number (Asteroid), or by the cursor or
// offset the previous page returned (Page.Next); Cursor is "" for the first.
type pageAt struct {
	Page, Size int
	Cursor     string
}

// collect pages through a listing from the first page until it has limit
// items or the listing ends, following page numbers or the platform's
// cursors, whichever it uses.
func collect[T any](ctx context.Context, limit int, fetch func(ctx context.Context, at pageAt) (api.Page[T], error)) ([]T, error) {
	at := pageAt{Page: 1, Size: min(limit, maxPageSize)}
	var out []T
	for len(out) < limit {
		p, err := fetch(ctx, at)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if !p.HasMore() {
			break
		}
		at.Page++
		at.Cursor = p.Next
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
