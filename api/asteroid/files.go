package asteroid

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"slices"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// contextDirectory is the Directory of files uploaded into an execution
// (context files), beside the agent filesystem's own directories.
const contextDirectory = "context"

// StageFiles uploads files for a later Execute
// (POST /temp-files/{organizationId}); pass the result as
// ExecuteRequest.TempFiles. Staged files expire after an hour.
func (c *Client) StageFiles(ctx context.Context, organizationID string, files []api.Upload) ([]api.TempFile, error) {
	r := call{method: "POST", path: "/temp-files/{organizationId}", args: []string{c.orgOr(organizationID)}}
	var err error
	if r.body, err = multipartFiles(r.op(), files); err != nil {
		return nil, err
	}
	var resp wire.TempFilesResponse
	if err := c.do(ctx, r, &resp); err != nil {
		return nil, err
	}
	out := make([]api.TempFile, 0, len(resp.TempFiles))
	for _, f := range resp.TempFiles {
		out = append(out, api.TempFile{ID: string(f.ID), Name: f.Name})
	}
	return out, nil
}

// AddFiles uploads files into a running execution
// (POST /executions/{id}/context-files).
func (c *Client) AddFiles(ctx context.Context, id string, files []api.Upload) error {
	r := call{method: "POST", path: "/executions/{id}/context-files", args: []string{id}}
	var err error
	if r.body, err = multipartFiles(r.op(), files); err != nil {
		return err
	}
	return c.do(ctx, r, nil)
}

// multipartFiles encodes files as a multipart form with one "files" part each.
func multipartFiles(op string, files []api.Upload) (payload, error) {
	if len(files) == 0 {
		return payload{}, &api.Error{Kind: api.KindInvalid, Op: op, Message: "no files to upload"}
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i, f := range files {
		name := filepath.Base(strings.TrimSpace(f.Name))
		if name == "." || name == string(filepath.Separator) {
			return payload{}, &api.Error{Kind: api.KindInvalid, Op: op, Message: fmt.Sprintf("file %d has no name", i+1)}
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", multipart.FileContentDisposition("files", name))
		h.Set("Content-Type", contentType(name, f))
		part, err := w.CreatePart(h)
		if err != nil {
			return payload{}, &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot encode " + name, Err: err}
		}
		_, _ = part.Write(f.Data) // writes to a bytes.Buffer do not fail
	}
	if err := w.Close(); err != nil {
		return payload{}, &api.Error{Kind: api.KindInvalid, Op: op, Message: "cannot encode the files", Err: err}
	}
	return payload{contentType: w.FormDataContentType(), data: buf.Bytes()}, nil
}

// contentType is the upload's own type, else the one its extension implies,
// else one sniffed from its content.
func contentType(name string, f api.Upload) string {
	return cmp.Or(f.ContentType, mime.TypeByExtension(filepath.Ext(name)), http.DetectContentType(f.Data))
}

// Files lists an execution's files: its context files
// (GET /executions/{id}/context-files) then its agent files
// (GET /executions/{id}/agent-files), by directory.
//
// Either endpoint answering 404 counts as no files there ("Execution files
// not found." is how the API says "none", and older deployments lack
// agent-files). Only when both answer 404 and the execution itself is not
// found is the result KindNotFound.
func (c *Client) Files(ctx context.Context, id string) ([]api.File, error) {
	ctxCall := call{method: "GET", path: "/executions/{id}/context-files", args: []string{id}}
	var ctxFiles []json.RawMessage
	ctxErr := c.do(ctx, ctxCall, &ctxFiles)
	if ctxErr != nil && api.KindOf(ctxErr) != api.KindNotFound {
		return nil, ctxErr
	}
	agentCall := call{method: "GET", path: "/executions/{id}/agent-files", args: []string{id}}
	var agentFiles struct { // wire.AgentFiles, each file decoded on its own
		Directories map[string][]json.RawMessage `json:"directories"`
	}
	agentErr := c.do(ctx, agentCall, &agentFiles)
	if agentErr != nil && api.KindOf(agentErr) != api.KindNotFound {
		return nil, agentErr
	}
	if ctxErr != nil && agentErr != nil && executionMissing(ctxErr, agentErr) {
		return nil, ctxErr
	}

	out := make([]api.File, 0, len(ctxFiles))
	seen := map[string]bool{}
	add := func(files []api.File) {
		for _, f := range files {
			if f.ID != "" && seen[f.ID] {
				continue
			}
			seen[f.ID] = true
			out = append(out, f)
		}
	}
	add(decodeItems(ctx, c, ctxCall.op(), ctxFiles, func(f wire.ContextFile, _ json.RawMessage) api.File {
		return api.File{
			ID: string(f.ID), ExecutionID: string(f.ExecutionID), AgentID: string(f.AgentID),
			Name: string(f.FileName), Path: string(f.FilePath), Directory: contextDirectory,
			MimeType: string(f.MimeType), Size: int64(f.FileSize), CreatedAt: f.CreatedAt.Time, URL: string(f.SignedURL),
		}
	}))
	for _, d := range slices.Sorted(maps.Keys(agentFiles.Directories)) {
		add(decodeItems(ctx, c, agentCall.op(), agentFiles.Directories[d], func(f wire.AgentFile, _ json.RawMessage) api.File {
			return api.File{
				ID: string(f.ID), ExecutionID: string(f.ExecutionID), AgentID: string(f.AgentID),
				Name: string(f.FileName), Path: string(f.FilePath), Directory: cmp.Or(string(f.Directory), d),
				MimeType: string(f.MimeType), Size: int64(f.FileSize), CreatedAt: f.CreatedAt.Time, URL: string(f.DownloadURL),
			}
		}))
	}
	return out, nil
}

// executionMissing reports whether two 404s mean the execution does not
// exist: one of them says so ("Execution not found."), or neither says that
// only the files are missing ("Execution files not found.").
func executionMissing(errs ...error) bool {
	filesMissing := false
	for _, err := range errs {
		msg := strings.ToLower(messageOf(err))
		if strings.Contains(msg, "execution not found") {
			return true
		}
		filesMissing = filesMissing || strings.Contains(msg, "files not found")
	}
	return !filesMissing
}

// messageOf returns the server message of an *api.Error.
func messageOf(err error) string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

// Recording returns the execution's browser recording URL: recordingUrl or
// browserRecordingUrl from the execution, else the v1
// GET /api/v1/execution/{id}/browser_session/recording. No recording yet is
// KindNotFound.
func (c *Client) Recording(ctx context.Context, id string) (string, error) {
	e, err := c.GetExecution(ctx, id)
	if err != nil {
		return "", err
	}
	if e.RecordingURL != "" {
		return e.RecordingURL, nil
	}
	r := call{method: "GET", v1: true, path: "/execution/{id}/browser_session/recording", args: []string{id}}
	var rec wire.RecordingV1
	if err := c.do(ctx, r, &rec); err != nil {
		return "", err
	}
	if u := strings.TrimSpace(rec.RecordingURL); u != "" {
		return u, nil
	}
	return "", &api.Error{Kind: api.KindNotFound, Op: r.op(), Message: "the execution has no browser recording yet"}
}
