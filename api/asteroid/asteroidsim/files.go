package asteroidsim

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// DefaultMaxUpload bounds a multipart upload request, body and all.
const DefaultMaxUpload = 64 << 20

// uploads reads the repeated multipart part "files". A body over
// h.maxUpload is refused with 413 as soon as the limit is passed: without
// the bound, ParseMultipartForm would spill any amount to temporary files.
func (h *handler) uploads(r *http.Request) ([]api.Upload, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, h.maxUpload)
	if err := r.ParseMultipartForm(h.maxUpload); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, &statusError{code: http.StatusRequestEntityTooLarge,
				msg: "Upload larger than " + api.FormatSize(h.maxUpload) + "."}
		}
		return nil, invalidf("Invalid file upload request.")
	}
	var out []api.Upload
	for _, fh := range r.MultipartForm.File["files"] {
		data, err := readPart(fh)
		if err != nil {
			return nil, invalidf("Invalid file upload request.")
		}
		out = append(out, api.Upload{Name: fh.Filename, ContentType: partType(fh), Data: data})
	}
	if len(out) == 0 {
		return nil, invalidf("Invalid file upload request.")
	}
	return out, nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// partType is a part's declared type; the spec's default text/plain and
// octet-stream say nothing, so the engine guesses from the name instead.
func partType(fh *multipart.FileHeader) string {
	switch t := fh.Header.Get("Content-Type"); t {
	case "", "text/plain", "application/octet-stream":
		return ""
	default:
		return t
	}
}

func (h *handler) stageFiles(r *http.Request) (int, any, error) {
	files, err := h.uploads(r)
	if err != nil {
		return 0, nil, err
	}
	staged, err := h.e.StageFiles(r.PathValue("organizationId"), files)
	if err != nil {
		return 0, nil, err
	}
	out := wire.TempFilesResponse{TempFiles: make([]wire.TempFile, len(staged))}
	for i, f := range staged {
		out.TempFiles[i] = wire.TempFile{ID: wire.ID(f.ID), Name: f.Name}
	}
	return http.StatusOK, out, nil
}

// contextFiles lists the files users gave the execution; an execution
// without any has an empty list.
func (h *handler) contextFiles(r *http.Request) (int, any, error) {
	x, err := h.e.Execution(r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	files := h.signed(r, x.ContextFiles())
	out := make([]wire.ContextFile, len(files))
	for i, f := range files {
		out[i] = contextFileOut(f)
	}
	return http.StatusOK, out, nil
}

func (h *handler) addContextFiles(r *http.Request) (int, any, error) {
	id := r.PathValue("id")
	if _, err := h.e.Execution(id); err != nil {
		return 0, nil, err
	}
	files, err := h.uploads(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := h.e.AddFiles(id, files); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.MsgFilesUploaded, nil
}

func (h *handler) agentFiles(r *http.Request) (int, any, error) {
	x, err := h.e.Execution(r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, agentFilesOut(h.signed(r, x.Files)), nil
}
