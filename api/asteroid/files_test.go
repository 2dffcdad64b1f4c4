package asteroid

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// part is one part of a multipart upload, as received.
type part struct{ field, name, ctype, data string }

func parseMultipart(t *testing.T, req captured) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/form-data", mt)
	r := multipart.NewReader(bytes.NewReader(req.Body), params["boundary"])
	var parts []part
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return parts
		}
		require.NoError(t, err)
		data, err := io.ReadAll(p)
		require.NoError(t, err)
		parts = append(parts, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(data)})
	}
}

var uploads = []api.Upload{
	{Name: "/home/me/input.json", Data: []byte(`{"a":1}`)},
	{Name: "photo", ContentType: "image/x-custom", Data: []byte("raw")},
	{Name: "notes", Data: []byte("%PDF-1.7 ...")},
}

func TestStageFiles(t *testing.T) {
	f := newFake(t)
	f.json("POST /agents/v2/temp-files/{org}", `{"tempFiles":[{"id":"tf-1","name":"input.json"},{"id":"tf-2","name":"photo"},{"id":"tf-3","name":"notes"}]}`)

	got, err := f.client().StageFiles(context.Background(), "", uploads)
	require.NoError(t, err)
	assert.Equal(t, []api.TempFile{{ID: "tf-1", Name: "input.json"}, {ID: "tf-2", Name: "photo"}, {ID: "tf-3", Name: "notes"}}, got)

	req := f.last()
	assert.Equal(t, "/agents/v2/temp-files/"+testOrg, req.Path, "the configured organization fills in")
	assert.Equal(t, []part{
		{"files", "input.json", "application/json", `{"a":1}`},
		{"files", "photo", "image/x-custom", "raw"},
		{"files", "notes", "application/pdf", "%PDF-1.7 ..."},
	}, parseMultipart(t, req), "one repeated files part per upload, without local directories")
}

func TestStageFilesNeedsAnOrganizationAndFiles(t *testing.T) {
	f := newFake(t)
	c := f.client(func(o *Options) { o.OrganizationID = "" })
	_, err := c.StageFiles(context.Background(), "", uploads)
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Contains(t, err.Error(), "missing organizationId")

	_, err = c.StageFiles(context.Background(), "org-1", nil)
	require.ErrorIs(t, err, api.ErrInvalid)

	_, err = c.StageFiles(context.Background(), "org-1", []api.Upload{{Name: " ", Data: []byte("x")}})
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Empty(t, f.requests())
}

func TestStageFilesPlainStringErrors(t *testing.T) {
	f := newFake(t)
	f.reply("POST /agents/v2/temp-files/{org}", http.StatusForbidden, "application/json", `"User is not a member of the organization."`)
	_, err := f.client().StageFiles(context.Background(), "org-x", uploads)
	require.ErrorIs(t, err, api.ErrForbidden)
	assert.Equal(t, "POST /temp-files/{organizationId}: forbidden (HTTP 403): User is not a member of the organization.", err.Error())
}

func TestAddFiles(t *testing.T) {
	f := newFake(t)
	f.json("POST /agents/v2/executions/{id}/context-files", `"Files uploaded."`)
	require.NoError(t, f.client().AddFiles(context.Background(), "e1", uploads[:1]))
	req := f.last()
	assert.Equal(t, "/agents/v2/executions/e1/context-files", req.Path)
	assert.Equal(t, []part{{"files", "input.json", "application/json", `{"a":1}`}}, parseMultipart(t, req))
}

const contextFilesBody = `[{"id":"cf-1","executionId":"e1","agentId":"a1","filePath":"/ctx/input.csv","fileName":"input.csv","fileExt":"csv",
	"fileSize":8,"fileType":"text","mimeType":"text/csv","createdAt":"2025-12-10T12:00:00Z","signedUrl":"https://s3/cf-1"}]`

const agentFilesBody = `{"directories":{
	"workspace":[{"id":"w-1","agentId":"a1","executionId":"e1","createdAt":"2025-12-10T12:02:00Z","directory":"workspace","downloadUrl":"https://s3/w-1","fileName":"notes.md","filePath":"/home/agent/workspace/notes.md","fileSize":10}],
	"downloads":[{"id":"d-1","agentId":"a1","executionId":"e1","createdAt":"2025-12-10T12:01:00Z","createdBy":"agent","directory":"downloads","downloadUrl":"https://s3/d-1","fileName":"invoice.pdf","filePath":"/home/agent/downloads/invoice.pdf","fileSize":2048,"mimeType":"application/pdf"}],
	"uploads":[{"id":"cf-1","agentId":"a1","executionId":"e1","createdAt":"2025-12-10T12:00:00Z","directory":"uploads","downloadUrl":"https://s3/u","fileName":"input.csv","filePath":"/home/agent/uploads/input.csv","fileSize":8}],
	"debug":[], "shared":[]}}`

func TestFilesMergesContextAndAgentFiles(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/executions/{id}/context-files", contextFilesBody)
	f.json("GET /agents/v2/executions/{id}/agent-files", agentFilesBody)

	files, err := f.client().Files(context.Background(), "e1")
	require.NoError(t, err)
	require.Len(t, files, 3, "a file listed by both endpoints appears once")
	assert.Equal(t, api.File{
		ID: "cf-1", ExecutionID: "e1", AgentID: "a1", Name: "input.csv", Path: "/ctx/input.csv", Directory: "context",
		MimeType: "text/csv", Size: 8, CreatedAt: time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC), URL: "https://s3/cf-1",
	}, withUTC(files[0]))
	assert.Equal(t, api.File{
		ID: "d-1", ExecutionID: "e1", AgentID: "a1", Name: "invoice.pdf", Path: "/home/agent/downloads/invoice.pdf", Directory: "downloads",
		MimeType: "application/pdf", Size: 2048, CreatedAt: time.Date(2025, 12, 10, 12, 1, 0, 0, time.UTC), URL: "https://s3/d-1",
	}, withUTC(files[1]))
	assert.Equal(t, "workspace", files[2].Directory, "directories in a stable order")
}

func withUTC(f api.File) api.File { f.CreatedAt = f.CreatedAt.UTC(); return f }

func TestFilesNotFoundCases(t *testing.T) {
	const (
		noFiles     = `"Execution files not found."`
		noExecution = `"Execution not found."`
		generic     = `{"code":404,"message":"Not Found"}`
	)
	cases := []struct {
		name          string
		ctxStatus     int
		ctxBody       string
		agentStatus   int
		agentBody     string
		wantFiles     int
		wantErr       error
		wantErrSubstr string
	}{
		{"no context files", 404, noFiles, 200, agentFilesBody, 3, nil, ""},
		{"no agent-files endpoint", 200, contextFilesBody, 404, generic, 1, nil, ""},
		{"no files anywhere", 404, noFiles, 404, noFiles, 0, nil, ""},
		{"old server without files", 404, noFiles, 404, generic, 0, nil, ""},
		{"unknown execution", 404, noExecution, 404, noExecution, 0, api.ErrNotFound, "Execution not found."},
		{"unknown execution, one says so", 404, noExecution, 404, noFiles, 0, api.ErrNotFound, "Execution not found."},
		{"unknown execution, generic 404s", 404, generic, 404, generic, 0, api.ErrNotFound, "context-files"},
		{"other errors are not tolerated", 200, contextFilesBody, 500, generic, 0, api.ErrServer, ""},
		{"forbidden", 403, `"Forbidden."`, 200, agentFilesBody, 0, api.ErrForbidden, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.reply("GET /agents/v2/executions/{id}/context-files", tc.ctxStatus, "application/json", tc.ctxBody)
			f.reply("GET /agents/v2/executions/{id}/agent-files", tc.agentStatus, "application/json", tc.agentBody)
			files, err := f.client().Files(context.Background(), "e1")
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				assert.Contains(t, err.Error(), tc.wantErrSubstr)
				return
			}
			require.NoError(t, err)
			assert.NotNil(t, files)
			assert.Len(t, files, tc.wantFiles)
		})
	}
}

func TestRecording(t *testing.T) {
	t.Run("from the execution", func(t *testing.T) {
		f := newFake(t)
		f.json("GET /agents/v2/executions/{id}", `{"id":"e1","recordingUrl":"https://rec/new","browserRecordingUrl":"https://rec/old"}`)
		u, err := f.client().Recording(context.Background(), "e1")
		require.NoError(t, err)
		assert.Equal(t, "https://rec/new", u)
		assert.Len(t, f.requests(), 1)
	})
	t.Run("browser name", func(t *testing.T) {
		f := newFake(t)
		f.json("GET /agents/v2/executions/{id}", `{"id":"e1","browserRecordingUrl":"https://rec/old"}`)
		u, err := f.client().Recording(context.Background(), "e1")
		require.NoError(t, err)
		assert.Equal(t, "https://rec/old", u)
	})
	t.Run("v1 fallback", func(t *testing.T) {
		f := newFake(t)
		f.json("GET /agents/v2/executions/{id}", `{"id":"e1","status":"completed"}`)
		f.json("GET /api/v1/execution/{id}/browser_session/recording", `{"recording_url":"https://rec/v1"}`)
		u, err := f.client().Recording(context.Background(), "e1")
		require.NoError(t, err)
		assert.Equal(t, "https://rec/v1", u)
		assert.Equal(t, "/api/v1/execution/e1/browser_session/recording", f.last().Path)
	})
	t.Run("none", func(t *testing.T) {
		f := newFake(t)
		f.json("GET /agents/v2/executions/{id}", `{"id":"e1","status":"running"}`)
		f.reply("GET /api/v1/execution/{id}/browser_session/recording", http.StatusNotFound, "application/json", `{"error":"No browser session found"}`)
		_, err := f.client().Recording(context.Background(), "e1")
		require.ErrorIs(t, err, api.ErrNotFound)
		assert.Equal(t, "GET /api/v1/execution/{id}/browser_session/recording: not found (HTTP 404): No browser session found", err.Error())
	})
	t.Run("empty v1 answer", func(t *testing.T) {
		f := newFake(t)
		f.json("GET /agents/v2/executions/{id}", `{"id":"e1"}`)
		f.json("GET /api/v1/execution/{id}/browser_session/recording", `{"recording_url":""}`)
		_, err := f.client().Recording(context.Background(), "e1")
		require.ErrorIs(t, err, api.ErrNotFound)
	})
	t.Run("unknown execution", func(t *testing.T) {
		f := newFake(t)
		f.reply("GET /agents/v2/executions/{id}", http.StatusNotFound, "application/json", `{"code":404,"message":"Execution not found."}`)
		_, err := f.client().Recording(context.Background(), "e1")
		require.ErrorIs(t, err, api.ErrNotFound)
		assert.Len(t, f.requests(), 1)
	})
}
