package filesave

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"INV-2025-0142.pdf":           "INV-2025-0142.pdf",
		"../../etc/passwd":            "passwd",
		`..\..\Windows\win.ini`:       "win.ini",
		"/home/agent/downloads/a.csv": "a.csv",
		"..":                          "",
		".":                           "",
		"":                            "",
		"   ":                         "",
		"dir/":                        "",
		".bashrc":                     "_bashrc",
		"report\x1b[31m.pdf":          "report[31m.pdf",
		"evil\u202egpj.exe":           "evilgpj.exe",
		"zero\u200bwidth.txt":         "zerowidth.txt",
		`a<b>c:d"e|f?g*h.txt`:         "a_b_c_d_e_f_g_h.txt",
		"trailing dots...":            "trailing dots",
		"rapport été.pdf":             "rapport été.pdf",
		"new\nline.txt":               "newline.txt",
		"...":                         "",
	} {
		assert.Equal(t, want, SafeName(in), "%q", in)
	}
	long := SafeName(strings.Repeat("é", 200) + ".pdf")
	assert.LessOrEqual(t, len(long), maxName)
	assert.True(t, strings.HasSuffix(long, ".pdf"), "the extension stays")
	assert.True(t, strings.HasPrefix(long, "é"))
}

// fakeDL writes data, or fails after writing part of it.
type fakeDL struct {
	data   string
	failAt int // > 0: fail after this many bytes
	during func()
}

func (d fakeDL) Download(_ context.Context, _ api.File, w io.Writer) (int64, error) {
	if d.during != nil {
		d.during()
	}
	if d.failAt > 0 {
		n, _ := io.WriteString(w, d.data[:d.failAt])
		return int64(n), &api.Error{Kind: api.KindNetwork, Message: "connection reset"}
	}
	n, err := io.WriteString(w, d.data)
	return int64(n), err
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestSaveWritesAtomicallyAndNeverOverwritesUnasked(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	f := api.File{ID: "f1", Name: "../statement.csv", Size: 11}
	var seen []int64
	path, n, err := Save(ctx, fakeDL{data: "hello world"}, f, dir, Options{Progress: func(done, total int64) {
		assert.Equal(t, int64(11), total)
		seen = append(seen, done)
	}})
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "statement.csv"), path, "no traversal out of dir")
	assert.Equal(t, int64(11), n)
	got, _ := os.ReadFile(path)
	assert.Equal(t, "hello world", string(got))
	assert.Equal(t, []int64{11}, seen)
	info, _ := os.Stat(path)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	_, _, err = Save(ctx, fakeDL{data: "other bytes"}, f, dir, Options{})
	require.ErrorIs(t, err, ErrExists)
	got, _ = os.ReadFile(path)
	assert.Equal(t, "hello world", string(got), "untouched")

	_, _, err = Save(ctx, fakeDL{data: "new content"}, f, dir, Options{Force: true})
	require.NoError(t, err)
	got, _ = os.ReadFile(path)
	assert.Equal(t, "new content", string(got))
	assert.Equal(t, []string{"statement.csv"}, entries(t, dir), "no temporary file left")
}

func TestSaveLeavesNothingBehindOnFailure(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	_, _, err := Save(ctx, fakeDL{data: "hello world", failAt: 5}, api.File{Name: "a.txt", Size: 11}, dir, Options{})
	require.Error(t, err)
	assert.Equal(t, api.KindNetwork, api.KindOf(err))
	assert.Empty(t, entries(t, dir), "neither the file nor a part")

	_, _, err = Save(ctx, fakeDL{data: "short"}, api.File{Name: "b.txt", Size: 11}, dir, Options{})
	require.Error(t, err)
	assert.Empty(t, entries(t, dir))

	// A file that appears while the download runs is not replaced.
	racer := filepath.Join(dir, "c.txt")
	_, _, err = Save(ctx, fakeDL{data: "mine", during: func() { _ = os.WriteFile(racer, []byte("theirs"), 0o600) }},
		api.File{Name: "c.txt", Size: 4}, dir, Options{})
	require.ErrorIs(t, err, ErrExists)
	got, _ := os.ReadFile(racer)
	assert.Equal(t, "theirs", string(got))
	assert.Equal(t, []string{"c.txt"}, entries(t, dir))

	_, _, err = Save(ctx, fakeDL{data: "x"}, api.File{Name: "..", ID: "../.."}, dir, Options{})
	assert.Error(t, err, "no usable name")
	path, _, err := Save(ctx, fakeDL{data: "x"}, api.File{Name: "..", ID: "file-7"}, dir, Options{})
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "file-7"), path, "the id when the name is unusable")
	assert.False(t, errors.Is(err, ErrExists))
}
