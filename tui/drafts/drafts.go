// Package drafts keeps what an operator typed into reply boxes on disk, so a
// quit, a crash or a lost connection never loses it. One JSON file per
// context under the state directory, written atomically with mode 0600.
package drafts

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"
)

// Draft is one unsent reply.
type Draft struct {
	Text    string    `json:"text"`
	Updated time.Time `json:"updated"`
	// SentAt is set while the text is being sent: a draft that still has
	// it after a restart may have been delivered, and is checked against
	// the execution's feed before it is sent again.
	SentAt time.Time `json:"sentAt,omitzero"`
}

// MaxAge is how long an untouched draft is kept.
const MaxAge = 14 * 24 * time.Hour

// Store reads and writes one context's drafts. Saves are ordered by
// version: one older than the last written is dropped, so saves started
// concurrently can finish in any order.
type Store struct {
	path  string
	mu    sync.Mutex
	saved uint64
	fleet *fleetParts // a fleet's store: one Store per context (fleet.go)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Open returns the store for a context under dir; a nil Store (dir == "")
// keeps nothing.
func Open(dir, context string) *Store {
	if dir == "" {
		return nil
	}
	if context == "" {
		context = "default"
	}
	return &Store{path: filepath.Join(dir, "drafts", unsafeName.ReplaceAllString(context, "_")+".json")}
}

// Path is the file the drafts live in.
func (s *Store) Path() string {
	if s == nil {
		return ""
	}
	if s.fleet != nil {
		return s.fleet.path()
	}
	return s.path
}

// Load returns the saved drafts by execution id, dropping those older than
// MaxAge. A missing file is no drafts.
func (s *Store) Load(now time.Time) (map[string]Draft, error) {
	out := map[string]Draft{}
	if s == nil {
		return out, nil
	}
	if s.fleet != nil {
		return s.fleet.load(now)
	}
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("read drafts: %w", err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return map[string]Draft{}, fmt.Errorf("read drafts %s: %w", s.path, err)
	}
	for id, d := range out {
		if d.Text == "" || now.Sub(d.Updated) > MaxAge {
			delete(out, id)
		}
	}
	return out, nil
}

// Save replaces the saved drafts atomically, unless a later version was
// already written.
func (s *Store) Save(version uint64, drafts map[string]Draft) error {
	if s == nil {
		return nil
	}
	if s.fleet != nil {
		return s.fleet.save(version, drafts)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if version < s.saved {
		return nil
	}
	s.saved = version
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("save drafts: %w", err)
	}
	b, err := json.MarshalIndent(drafts, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".drafts-*")
	if err != nil {
		return fmt.Errorf("save drafts: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("save drafts: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save drafts: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save drafts: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return fmt.Errorf("save drafts: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("save drafts: %w", err)
	}
	return nil
}
