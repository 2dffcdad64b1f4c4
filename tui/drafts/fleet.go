package drafts

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// OpenFleet returns the store of a dashboard showing several contexts at
// once: each draft is kept in the file of its execution's context — the
// file that context's own dashboard uses — so drafts follow their context
// in and out of the fleet. Load merges the contexts' files; Save writes
// each draft to the file of contextOf(its execution) (the file it was
// loaded from when contextOf does not know it, else the first context's).
// A nil Store (dir == "") keeps nothing.
func OpenFleet(dir string, contexts []string, contextOf func(executionID string) string) *Store {
	if dir == "" || len(contexts) == 0 {
		return nil
	}
	f := &fleetParts{dir: dir, names: contexts, contextOf: contextOf, stores: map[string]*Store{}, origin: map[string]string{}}
	for _, c := range contexts {
		f.stores[c] = Open(dir, c)
	}
	return &Store{fleet: f}
}

// fleetParts is a fleet's store: one Store per context.
type fleetParts struct {
	dir       string
	names     []string
	contextOf func(string) string
	stores    map[string]*Store

	mu     sync.Mutex
	origin map[string]string // execution id → the context whose file had its draft
}

// path names the contexts' files: "<dir>/drafts/{a,b}.json".
func (f *fleetParts) path() string {
	names := make([]string, len(f.names))
	for i, n := range f.names {
		names[i] = strings.TrimSuffix(filepath.Base(f.stores[n].path), ".json")
	}
	return filepath.Join(f.dir, "drafts", "{"+strings.Join(names, ",")+"}.json")
}

func (f *fleetParts) load(now time.Time) (map[string]Draft, error) {
	out := map[string]Draft{}
	var errs []error
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.names {
		ds, err := f.stores[n].Load(now)
		errs = append(errs, err)
		for id, d := range ds {
			if _, taken := out[id]; !taken {
				out[id], f.origin[id] = d, n
			}
		}
	}
	return out, errors.Join(errs...)
}

func (f *fleetParts) save(version uint64, drafts map[string]Draft) error {
	per := make(map[string]map[string]Draft, len(f.names))
	for _, n := range f.names {
		per[n] = map[string]Draft{}
	}
	f.mu.Lock()
	for id, d := range drafts {
		c := f.contextOf(id)
		if _, ok := per[c]; !ok {
			c = f.origin[id]
		}
		if _, ok := per[c]; !ok {
			c = f.names[0]
		}
		f.origin[id] = c
		per[c][id] = d
	}
	f.mu.Unlock()
	var errs []error
	for _, n := range f.names {
		errs = append(errs, f.stores[n].Save(version, per[n]))
	}
	return errors.Join(errs...)
}
