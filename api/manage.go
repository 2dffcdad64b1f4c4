package api

import (
	"context"
	"io"
)

// Optional Backend interfaces: operations only some platforms have. A caller
// checks for the interface (and the matching Capabilities flag) and says
// clearly that the platform cannot do it when it is absent.

// PoolManager creates and changes profile pools (Capabilities.ManagePools).
type PoolManager interface {
	CreatePool(ctx context.Context, in PoolInput) (ProfilePool, error)
	UpdatePool(ctx context.Context, id string, up PoolUpdate) (ProfilePool, error)
}

// FileDownloader fetches the bytes of an execution's file
// (Capabilities.Download).
type FileDownloader interface {
	// Download writes the content of f (as listed by Backend.Files) to w and
	// returns the number of bytes written. It fails, as an *Error, when the
	// server announces or sends a size other than f.Size (when f.Size is
	// known), or more than the client's bound; w may then hold a part.
	Download(ctx context.Context, f File, w io.Writer) (int64, error)
}

// Selection strategies of a profile pool.
const (
	LeastRecentlyUsed = "least_recently_used"
	MostRecentlyUsed  = "most_recently_used"
)

// SelectionStrategies lists the known pool strategies.
var SelectionStrategies = []string{LeastRecentlyUsed, MostRecentlyUsed}

// PoolInput creates a profile pool.
type PoolInput struct {
	Name               string // 1–255 characters, unique in the organization
	OrganizationID     string // empty: the backend's default
	AllowConcurrentUse bool
	SelectionStrategy  string // empty: the platform's default (least_recently_used)
}

// PoolUpdate changes a profile pool; nil fields are left alone.
type PoolUpdate struct {
	Name               *string
	AllowConcurrentUse *bool
	SelectionStrategy  *string
}

// Empty reports whether the update changes nothing.
func (u PoolUpdate) Empty() bool {
	return u.Name == nil && u.AllowConcurrentUse == nil && u.SelectionStrategy == nil
}

// SameSites are the values CookieInput.SameSite takes (empty: unset).
var SameSites = []string{"Strict", "Lax", "None"}
