package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// StderrIsTerminal makes progress tests possible: a fake terminal whose
// stdout is a terminal has its stderr on one too.
func (f *fakeTerm) StderrIsTerminal() bool { return f.stdout }

func TestFilesDownloadSavesBytesOfTheListedSize(t *testing.T) {
	f := newFleet(t)
	x := f.execution(t, api.StatusRunning)
	_, err := f.e.AddFiles(x.ID, []api.Upload{{Name: "fact-find.txt", Data: []byte("roof: flat, 40 m²\n")}})
	require.NoError(t, err)
	listed, err := f.e.Execution(x.ID)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "out")
	i := inv{env: f.env(t)}

	r := i.run(t, "files", "download", x.ID, "-d", dir)
	require.Equal(t, 0, r.code, r)
	for _, fl := range listed.Files {
		got, err := os.ReadFile(filepath.Join(dir, fl.Name))
		require.NoError(t, err, fl.Name)
		assert.Len(t, got, int(fl.Size), "%s has the size listed", fl.Name)
		assert.Contains(t, r.out, "Saved "+filepath.Join(dir, fl.Name)+" ("+api.FormatSize(fl.Size)+")")
	}
	got, _ := os.ReadFile(filepath.Join(dir, "fact-find.txt"))
	assert.Equal(t, "roof: flat, 40 m²\n", string(got), "the bytes uploaded")
	assert.NotContains(t, r.out+r.err, testKey)

	// Again: nothing is replaced without --force.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fact-find.txt"), []byte("mine"), 0o600))
	r = i.run(t, "files", "download", x.ID, "fact-find.txt", "-d", dir)
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "fact-find.txt exists (use --force to replace it)")
	assert.Contains(t, r.err, "1 of 1 files not downloaded")
	got, _ = os.ReadFile(filepath.Join(dir, "fact-find.txt"))
	assert.Equal(t, "mine", string(got))

	var out []DownloadOutput
	decode(t, i.run(t, "files", "download", x.ID, "fact-find.txt", "-d", dir, "--force", "-o", "json"), &out)
	require.Len(t, out, 1)
	assert.Equal(t, DownloadOutput{ID: listed.Files[len(listed.Files)-1].ID, Name: "fact-find.txt",
		Path: filepath.Join(dir, "fact-find.txt"), Size: int64(len("roof: flat, 40 m²\n"))}, out[0])
	got, _ = os.ReadFile(filepath.Join(dir, "fact-find.txt"))
	assert.Equal(t, "roof: flat, 40 m²\n", string(got))

	r = i.run(t, "files", "download", x.ID, "no-such-file.pdf", "-d", dir)
	assert.Equal(t, exitNotFound, r.code, r)
	assert.Contains(t, r.err, `the execution has no file "no-such-file.pdf"`)
	r = i.run(t, "files", "download")
	assert.Equal(t, exitUsage, r.code, r)

	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), "."), "no temporary file left: %s", e.Name())
	}
}

// storageStub serves context-files listing one file whose bytes are on a
// storage host of its own, and records the keys the storage host saw.
func storageStub(t *testing.T, name string, size int, body string) (string, *[]string) {
	t.Helper()
	var keys []string
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys = append(keys, r.Header.Get("X-Asteroid-Agents-Api-Key"))
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(store.Close)
	base := stub(t, map[string]http.HandlerFunc{
		"GET /executions/x1/context-files": func(w http.ResponseWriter, _ *http.Request) {
			jsonReply(w, http.StatusOK, []map[string]any{{"id": "f1", "executionId": "x1", "fileName": name, "fileSize": size,
				"mimeType": "application/octet-stream", "signedUrl": store.URL + "/bucket/f1?X-Amz-Signature=s3cr3t"}})
		},
		"GET /executions/x1/agent-files": func(w http.ResponseWriter, _ *http.Request) {
			jsonReply(w, http.StatusOK, map[string]any{"directories": map[string]any{}})
		},
	})
	return base, &keys
}

func TestFilesDownloadSanitisesNamesAndSendsNoKeyToStorage(t *testing.T) {
	base, keys := storageStub(t, "../../../\x1b[2Jescape.sh", 5, "hello")
	parent := t.TempDir()
	dir := filepath.Join(parent, "a", "b")
	env := map[string]string{"HOME": t.TempDir(), envBaseURL: base, envAPIKey: testKey}
	r := inv{env: env}.run(t, "files", "download", "x1", "-d", dir)
	require.Equal(t, 0, r.code, r)
	got, err := os.ReadFile(filepath.Join(dir, "[2Jescape.sh"))
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got))
	assert.NotContains(t, r.out, "\x1b")
	assert.Equal(t, []string{""}, *keys, "the pre-signed URL's host never gets the key")
	entries, _ := os.ReadDir(parent)
	assert.Len(t, entries, 1, "nothing written outside -d")
}

func TestFilesDownloadRefusesTheWrongSize(t *testing.T) {
	base, _ := storageStub(t, "statement.csv", 100, "short")
	dir := t.TempDir()
	env := map[string]string{"HOME": t.TempDir(), envBaseURL: base, envAPIKey: testKey}
	r := inv{env: env}.run(t, "files", "download", "x1", "-d", dir)
	assert.Equal(t, exitError, r.code, r)
	assert.Contains(t, r.err, "download statement.csv")
	assert.Contains(t, r.err, "100")
	assert.NotContains(t, r.err, "s3cr3t", "the signed URL is as good as a password")
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries, "no partial file")
}

func TestFilesDownloadShowsProgressOnATerminal(t *testing.T) {
	size := 2 << 20
	base, _ := storageStub(t, "archive.zip", size, strings.Repeat("z", size))
	env := map[string]string{"HOME": t.TempDir(), envBaseURL: base, envAPIKey: testKey}
	dir := t.TempDir()
	r := inv{env: env, term: &fakeTerm{stdout: true, width: 100}}.run(t, "files", "download", "x1", "-d", dir)
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.err, "archive.zip  2.0 MB / 2.0 MB  100%")
	info, err := os.Stat(filepath.Join(dir, "archive.zip"))
	require.NoError(t, err)
	assert.EqualValues(t, size, info.Size())

	r = inv{env: env}.run(t, "files", "download", "x1", "-d", t.TempDir())
	require.Equal(t, 0, r.code, r)
	assert.NotContains(t, r.err, "%", "no progress when stderr is not a terminal")
}
