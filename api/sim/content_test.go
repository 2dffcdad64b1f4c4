package sim

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestFileContentServesUploadsBackAndFillsTheRest(t *testing.T) {
	e, _ := quiet(t)
	id := find(t, e, api.StatusRunning)
	_, err := e.AddFiles(id, []api.Upload{{Name: "../notes.txt", Data: []byte("hello")}})
	require.NoError(t, err)
	x, err := e.Execution(id)
	require.NoError(t, err)
	up := x.Files[len(x.Files)-1]
	assert.Equal(t, "notes.txt", up.Name)

	f, r, err := e.FileContent(id, up.ID)
	require.NoError(t, err)
	assert.Equal(t, up, f)
	b, _ := io.ReadAll(r)
	assert.Equal(t, "hello", string(b))

	agent := File{ID: "f1", Name: "INV-1.pdf", Size: 1000}
	fill := io.NewSectionReader(newFiller(agent), 0, agent.Size)
	b, _ = io.ReadAll(fill)
	assert.Len(t, b, 1000)
	assert.Equal(t, "%PDF-1.7\n", string(b[:9]))
	again, _ := io.ReadAll(io.NewSectionReader(newFiller(agent), 0, agent.Size))
	assert.Equal(t, b, again, "deterministic")

	_, _, err = e.FileContent(id, "nope")
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, _, err = e.FileContent("nope", up.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
}

func TestBlobStoreDropsTheOldestPastItsBound(t *testing.T) {
	b := blobStore{max: 10}
	b.put("a", []byte("12345"))
	b.put("b", []byte("123"))
	b.rename("b", "c")
	b.put("d", []byte("1234"))
	_, ok := b.get("a")
	assert.False(t, ok, "the oldest went")
	got, ok := b.get("c")
	assert.True(t, ok)
	assert.Equal(t, "123", string(got))
	b.put("huge", make([]byte, 11))
	_, ok = b.get("huge")
	assert.False(t, ok, "larger than the bound: never kept")
	assert.LessOrEqual(t, b.size, b.max)
}

func TestSecretDependsOnPurposeAndKey(t *testing.T) {
	e, _ := quiet(t)
	assert.Equal(t, e.Secret("x"), e.Secret("x"))
	assert.NotEqual(t, e.Secret("x"), e.Secret("y"))
}
