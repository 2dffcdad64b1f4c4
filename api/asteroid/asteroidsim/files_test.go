package asteroidsim

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// multipartFiles builds a body with repeated "files" parts.
func multipartFiles(t *testing.T, names ...string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, n := range names {
		w, err := mw.CreateFormFile("files", n)
		require.NoError(t, err)
		_, _ = w.Write([]byte("content of " + n))
	}
	require.NoError(t, mw.Close())
	return buf.Bytes(), mw.FormDataContentType()
}

func TestFileEndpoints(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	org := f.e.Organization().ID
	body, ctype := multipartFiles(t, "w9-brightline.pdf", "bank-letter.pdf")
	res := f.do(http.MethodPost, "/agents/v2/temp-files/"+org, body, "Content-Type", ctype)
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var staged wire.TempFilesResponse
	require.NoError(t, json.Unmarshal(res.body, &staged))
	require.Len(t, staged.TempFiles, 2)
	assert.Equal(t, "w9-brightline.pdf", staged.TempFiles[0].Name)

	res = f.do(http.MethodPost, "/agents/v2/temp-files/someone-else", body, "Content-Type", ctype)
	assert.Equal(t, http.StatusForbidden, res.status)
	assert.Equal(t, "User is not a member of the organization.", jsonString(t, res.body))
	res = f.do(http.MethodPost, "/agents/v2/temp-files/"+org, []byte("not multipart"), "Content-Type", "text/plain")
	assert.Equal(t, http.StatusBadRequest, res.status)
	assert.Equal(t, "Invalid file upload request.", jsonString(t, res.body))

	agents, _ := f.e.Agents(api.AgentQuery{})
	res = f.do(http.MethodPost, "/agents/v2/agents/"+agents.Items[0].ID+"/execute", wire.ExecuteRequest{TempFiles: staged.TempFiles})
	require.Equal(t, http.StatusAccepted, res.status, "%s", res.body)
	var out wire.ExecuteResponse
	require.NoError(t, json.Unmarshal(res.body, &out))
	id := out.ExecutionID

	var files []wire.ContextFile
	f.get("/agents/v2/executions/"+id+"/context-files", http.StatusOK, &files)
	require.Len(t, files, 2)
	assert.Equal(t, "pdf", string(files[0].FileExt))
	assert.Equal(t, "application/pdf", string(files[0].MimeType))
	assert.EqualValues(t, len("content of w9-brightline.pdf"), files[0].FileSize)
	assert.Contains(t, string(files[0].SignedURL), f.srv.URL+"/files/"+id+"/")
	assert.Equal(t, "/home/agent/uploads/w9-brightline.pdf", string(files[0].FilePath))

	more, ctype := multipartFiles(t, "notes.txt")
	res = f.do(http.MethodPost, "/agents/v2/executions/"+id+"/context-files", more, "Content-Type", ctype)
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	assert.Equal(t, wire.MsgFilesUploaded, jsonString(t, res.body))
	f.get("/agents/v2/executions/"+id+"/context-files", http.StatusOK, &files)
	assert.Len(t, files, 3)

	res = f.do(http.MethodGet, "/agents/v2/executions/nope/context-files", nil)
	assert.Equal(t, http.StatusNotFound, res.status)
	assert.Equal(t, "Execution not found.", jsonString(t, res.body))
	res = f.do(http.MethodPost, "/agents/v2/executions/"+id+"/context-files", []byte("x"), "Content-Type", "text/plain")
	assert.Equal(t, http.StatusBadRequest, res.status)
	assert.Equal(t, "Invalid file upload request.", jsonString(t, res.body))

	var af wire.AgentFiles
	f.get("/agents/v2/executions/"+id+"/agent-files", http.StatusOK, &af)
	for _, d := range []string{"debug", "downloads", "shared", "uploads", "workspace"} {
		assert.Contains(t, af.Directories, d)
	}
	require.Len(t, af.Directories["uploads"], 3)
	assert.Equal(t, "user", string(af.Directories["uploads"][0].CreatedBy))
	v2Error(t, f.do(http.MethodGet, "/agents/v2/executions/nope/agent-files", nil), http.StatusNotFound)
}

func TestDownloadsShowUpAsAgentFiles(t *testing.T) {
	f := newFixture(t, sim.Config{Seed: 11}, HandlerOptions{})
	for _, x := range f.allExecutions() {
		var af wire.AgentFiles
		f.get("/agents/v2/executions/"+string(x.ID)+"/agent-files", http.StatusOK, &af)
		if len(af.Directories["downloads"]) == 0 {
			continue
		}
		d := af.Directories["downloads"][0]
		assert.Equal(t, "agent", string(d.CreatedBy))
		assert.Contains(t, string(d.DownloadURL), "X-Amz-Signature=")
		acts, _ := payloads(t, f, "/agents/v2/executions/"+string(x.ID)+"/activities")
		_, b, _ := wire.DecodePayload(firstOf(t, acts, func(b wire.Body) bool { return b.FileID != "" }))
		assert.Equal(t, string(d.ID), b.FileID)
		assert.Equal(t, "download", string(b.Source))
		assert.Equal(t, d.DownloadURL, b.PresignedURL)
		return
	}
	t.Fatal("no execution downloaded anything")
}

// TestUploadsAreBounded: a multipart body over the limit (64 MiB unless
// set) is refused with 413 as soon as the limit is passed, instead of
// spilling to temporary files.
func TestUploadsAreBounded(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{MaxUpload: 1 << 20})
	x, err := f.e.Executions(api.ExecutionQuery{Statuses: []api.Status{api.StatusRunning}, PageSize: 1})
	require.NoError(t, err)
	require.NotEmpty(t, x.Items)
	for _, path := range []string{"/agents/v2/temp-files/" + f.e.Organization().ID, "/agents/v2/executions/" + x.Items[0].ID + "/context-files"} {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			w, err := mw.CreateFormFile("files", "huge.bin")
			if err == nil {
				chunk := make([]byte, 1<<20)
				for range 3 {
					if _, err = w.Write(chunk); err != nil {
						break
					}
				}
			}
			if err == nil {
				err = mw.Close()
			}
			pw.CloseWithError(err)
		}()
		req, err := http.NewRequest(http.MethodPost, f.srv.URL+path, pr)
		require.NoError(t, err)
		req.Header.Set(wire.APIKeyHeader, f.key)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err, path)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		pr.Close()
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, "%s: %s", path, body)
		assert.Equal(t, "Upload larger than 1.0 MB.", jsonString(t, body))
	}
}
