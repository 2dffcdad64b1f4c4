package drafts

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSaveLoadRoundTripAndPruning(t *testing.T) {
	dir := t.TempDir()
	s := Open(dir, "prod/eu")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	require.NoError(t, s.Save(1, map[string]Draft{
		"e1": {Text: "the code is 482913", Updated: now},
		"e2": {Text: "stale", Updated: now.Add(-MaxAge - time.Hour)},
		"e3": {Text: "", Updated: now},
	}))
	fi, err := os.Stat(s.Path())
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "drafts may hold sensitive answers")
	assert.Contains(t, s.Path(), "prod_eu.json")

	got, err := s.Load(now)
	require.NoError(t, err)
	assert.Equal(t, map[string]Draft{"e1": {Text: "the code is 482913", Updated: now}}, got)
}

func TestMissingOrCorruptFileLoadsEmpty(t *testing.T) {
	s := Open(t.TempDir(), "")
	got, err := s.Load(time.Now())
	require.NoError(t, err)
	assert.Empty(t, got)
	require.NoError(t, os.MkdirAll(s.Path()[:len(s.Path())-len("default.json")], 0o700))
	require.NoError(t, os.WriteFile(s.Path(), []byte("{not json"), 0o600))
	got, err = s.Load(time.Now())
	assert.Error(t, err)
	assert.Empty(t, got)
	var none *Store
	assert.NoError(t, none.Save(1, map[string]Draft{"x": {Text: "y"}}))
}

func TestAnOlderSaveFinishingLastIsDropped(t *testing.T) {
	s := Open(t.TempDir(), "ctx")
	now := time.Now()
	require.NoError(t, s.Save(2, map[string]Draft{"e": {Text: "newer", Updated: now}}))
	require.NoError(t, s.Save(1, map[string]Draft{"e": {Text: "older", Updated: now}}))
	got, err := s.Load(now)
	require.NoError(t, err)
	assert.Equal(t, "newer", got["e"].Text)
}
