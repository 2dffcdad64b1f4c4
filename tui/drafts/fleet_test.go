package drafts

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAFleetKeepsEachDraftInItsContextsFile(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	// A draft typed earlier in ops's own dashboard.
	require.NoError(t, Open(dir, "ops").Save(1, map[string]Draft{"ops-old": {Text: "from before", Updated: now}}))

	owner := map[string]string{"sup-1": "support", "ops-2": "ops"}
	f := OpenFleet(dir, []string{"support", "ops"}, func(id string) string { return owner[id] })
	got, err := f.Load(now)
	require.NoError(t, err)
	assert.Equal(t, "from before", got["ops-old"].Text, "the fleet sees the drafts of every context")

	got["sup-1"] = Draft{Text: "support's", Updated: now}
	got["ops-2"] = Draft{Text: "ops's", Updated: now}
	require.NoError(t, f.Save(2, got))

	sup, err := Open(dir, "support").Load(now)
	require.NoError(t, err)
	assert.Equal(t, map[string]Draft{"sup-1": {Text: "support's", Updated: now}}, sup)
	ops, err := Open(dir, "ops").Load(now)
	require.NoError(t, err)
	assert.Len(t, ops, 2, "ops's file has its new draft and the one it was loaded with")
	assert.Equal(t, "from before", ops["ops-old"].Text, "a draft whose execution the fleet does not know stays where it was")
	assert.Contains(t, f.Path(), "{support,ops}.json")

	delete(got, "sup-1")
	require.NoError(t, f.Save(3, got))
	sup, _ = Open(dir, "support").Load(now)
	assert.Empty(t, sup, "a sent draft leaves its context's file")
	assert.Nil(t, OpenFleet("", []string{"a"}, nil))
}
