package sim

import (
	"mime"
	"path"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

// StagedFileTTL is how long a staged file waits for an execute.
const StagedFileTTL = time.Hour

// StageFiles keeps uploads for a later Execute (ExecuteRequest.TempFiles).
// Their bytes are kept (within MaxKeptUploads) to serve back once they
// are an execution's files.
func (e *Engine) StageFiles(orgID string, uploads []api.Upload) ([]StagedFile, error) {
	if len(uploads) == 0 {
		return nil, invalid("no files")
	}
	e.lock()
	defer e.mu.Unlock()
	if err := e.checkOrg(orgID); err != nil {
		return nil, err
	}
	for id, f := range e.staged {
		if e.now.Sub(f.CreatedAt) > StagedFileTTL {
			delete(e.staged, id)
		}
	}
	out := make([]StagedFile, len(uploads))
	for i, u := range uploads {
		f := StagedFile{ID: e.id(), Name: path.Base(u.Name), MimeType: mimeOf(u), Size: int64(len(u.Data)), CreatedAt: e.now}
		e.staged[f.ID] = f
		e.blobs.put(f.ID, u.Data)
		out[i] = f
	}
	return out, nil
}

// AddFiles uploads files into an execution that has not ended and returns
// them; each shows in the feed as file_added (source upload).
func (e *Engine) AddFiles(id string, uploads []api.Upload) ([]File, error) {
	if len(uploads) == 0 {
		return nil, invalid("no files")
	}
	e.lock()
	defer e.mu.Unlock()
	r, err := e.run(id)
	if err != nil {
		return nil, err
	}
	if r.x.Status.IsTerminal() {
		return nil, invalid("execution is %s; files can no longer be added", r.x.Status)
	}
	out := make([]File, 0, len(uploads))
	for _, u := range uploads {
		f := e.newFile(r, File{Name: path.Base(u.Name), MimeType: mimeOf(u), Size: int64(len(u.Data)),
			Source: SourceUpload, Directory: "uploads"})
		e.blobs.put(f.ID, u.Data)
		e.record(r, Activity{Kind: api.KindFileAdded, File: &f})
		out = append(out, f)
	}
	return out, nil
}

func mimeOf(u api.Upload) string {
	if u.ContentType != "" {
		return u.ContentType
	}
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(u.Name))); t != "" {
		return t
	}
	return "application/octet-stream"
}
