package asteroidsim

import (
	"encoding/json"
	"path"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// This file turns the engine's values into the Asteroid wire shapes.

func agentOut(a sim.Agent) wire.Agent {
	return wire.Agent{ID: wire.ID(a.ID), Name: wire.String(a.Name), CreatedAt: wire.T(a.CreatedAt),
		OrganizationID: wire.ID(a.OrganizationID), UserID: wire.ID(a.UserID), Description: wire.String(a.Description)}
}

// executionOut writes an execution as ExecutionListItem. Both generations of
// the URL fields are sent (browserLiveViewUrl/liveViewUrl,
// browserRecordingUrl/recordingUrl).
func (h *handler) executionOut(x sim.Execution) wire.Execution {
	out := wire.Execution{
		ID: wire.ID(x.ID), AgentID: wire.ID(x.AgentID), AgentName: wire.String(x.AgentName), WorkflowID: wire.ID(x.WorkflowID),
		AgentVersion: wire.Int(x.AgentVersion), AgentVersionDirty: wire.Bool(x.AgentVersionDirty), Status: wire.String(x.Status),
		CreatedAt: wire.T(x.CreatedAt), TerminalAt: wire.T(x.TerminalAt), OrganizationID: wire.ID(x.OrganizationID),
		HumanLabels: make([]wire.HumanLabel, 0, len(x.Labels)), Comments: make([]wire.Comment, 0, len(x.Comments)),
		Metadata: wire.StringMapOf(x.Metadata), AgentProfileID: wire.ID(x.ProfileID), AgentProfileName: wire.String(x.ProfileName),
		BrowserLiveViewURL: wire.String(x.LiveViewURL), LiveViewURL: wire.String(x.LiveViewURL),
		BrowserRecordingURL: wire.String(x.RecordingURL), RecordingURL: wire.String(x.RecordingURL),
		Inputs: rawJSON(x.Inputs), TriggerContext: rawJSON(h.trigger(x)),
	}
	if x.Result != nil {
		out.ExecutionResult = resultOut(x.ID, *x.Result)
	}
	if x.Status.IsTerminal() {
		d := wire.Float(x.Duration().Seconds())
		out.Duration = &d
	}
	if o := x.Options; o != (sim.ExecutionOptions{}) {
		out.ExecutionOptions = &wire.ExecutionOptions{SharedStorageKey: o.SharedStorageKey, SoftTimeoutMins: wire.Int(o.SoftTimeoutMins)}
	}
	for _, l := range x.Labels {
		out.HumanLabels = append(out.HumanLabels, wire.HumanLabel{ID: wire.ID(l.ID), OrganizationID: wire.ID(x.OrganizationID),
			Name: wire.String(l.Name), Color: wire.String(l.Color), CreatedAt: wire.T(l.CreatedAt)})
	}
	for _, c := range x.Comments {
		out.Comments = append(out.Comments, wire.Comment{ID: wire.ID(c.ID), ExecutionID: wire.ID(x.ID), UserID: wire.ID(c.UserID),
			Content: wire.String(c.Content), Public: wire.Bool(c.Public), CreatedAt: wire.T(c.CreatedAt)})
	}
	return out
}

func resultOut(executionID string, r sim.Result) *wire.ExecutionResult {
	return &wire.ExecutionResult{ID: wire.ID(r.ID), ExecutionID: wire.ID(executionID), Outcome: wire.String(r.Outcome),
		Reasoning: wire.String(r.Reasoning), Result: r.Data, CreatedAt: wire.T(r.CreatedAt)}
}

// trigger says who started an execution: the demo user with the API key, or
// a schedule.
func (h *handler) trigger(x sim.Execution) wire.TriggerContext {
	if x.Trigger != sim.TriggerAPI {
		return wire.TriggerContext{Source: wire.String(x.Trigger)}
	}
	u := h.e.User()
	return wire.TriggerContext{Source: sim.TriggerAPI,
		Runner: &wire.Runner{Email: wire.String(u.Email), UserID: u.ID, IsAdmin: u.Role == "admin"},
		APIKey: &wire.APIKeyRef{ID: h.keyID, Name: "agentop simulator key"}}
}

// rawJSON marshals v; nil and empty maps give no field.
func rawJSON(v any) json.RawMessage {
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// fileExt is a file name's extension without the dot ("pdf").
func fileExt(name string) string { return strings.TrimPrefix(path.Ext(name), ".") }

func contextFileOut(f sim.File) wire.ContextFile {
	return wire.ContextFile{ID: wire.ID(f.ID), ExecutionID: wire.ID(f.ExecutionID), AgentID: wire.ID(f.AgentID), FilePath: wire.String(f.Path),
		FileName: wire.String(f.Name), FileExt: wire.String(fileExt(f.Name)), FileSize: wire.Int(f.Size),
		FileType: "context", MimeType: wire.String(f.MimeType), CreatedAt: wire.T(f.CreatedAt), SignedURL: wire.String(f.URL)}
}

// agentDirectories are the agent filesystem's directories, all listed even
// when empty.
var agentDirectories = []string{"debug", "downloads", "shared", "uploads", "workspace"}

func agentFilesOut(files []sim.File) wire.AgentFiles {
	out := wire.AgentFiles{Directories: map[string][]wire.AgentFile{}}
	for _, d := range agentDirectories {
		out.Directories[d] = []wire.AgentFile{}
	}
	for _, f := range files {
		by := "agent"
		if f.Source == sim.SourceUpload {
			by = "user"
		}
		out.Directories[f.Directory] = append(out.Directories[f.Directory], wire.AgentFile{
			ID: wire.ID(f.ID), AgentID: wire.ID(f.AgentID), ExecutionID: wire.ID(f.ExecutionID), CreatedAt: wire.T(f.CreatedAt), UpdatedAt: wire.T(f.CreatedAt),
			CreatedBy: wire.String(by), Directory: wire.String(f.Directory), DownloadURL: wire.String(f.URL),
			FileName: wire.String(f.Name), FilePath: wire.String(f.Path), FileSize: wire.Int(f.Size), MimeType: wire.String(f.MimeType)})
	}
	return out
}

func fileV1Out(f sim.File) wire.FileV1 {
	return wire.FileV1{ID: f.ID, ExecutionID: f.ExecutionID, FilePath: f.Path, FileExt: fileExt(f.Name), FileName: f.Name,
		FileSize: wire.Int(f.Size), MimeType: f.MimeType, CreatedAt: wire.T(f.CreatedAt), SignedURL: f.URL}
}

// profileOut writes a v1 agent profile. Credentials carry the stored
// ciphertext, never plaintext.
func profileOut(p sim.Profile) wire.AgentProfile {
	out := wire.AgentProfile{ID: wire.ID(p.ID), Name: wire.String(p.Name), Description: wire.String(p.Description),
		OrganizationID: wire.ID(p.OrganizationID), ProxyCC: wire.String(p.ProxyCountry), ProxyType: wire.String(p.ProxyType),
		CaptchaSolverActive: wire.Bool(p.CaptchaSolver), StickyIP: wire.Bool(p.StickyIP), ExtraStealth: wire.Bool(p.ExtraStealth),
		Credentials: make([]wire.Credential, 0, len(p.Credentials)), Cookies: make([]wire.Cookie, 0, len(p.Cookies)),
		CreatedAt: wire.T(p.CreatedAt), UpdatedAt: wire.T(p.UpdatedAt)}
	for _, c := range p.Credentials {
		out.Credentials = append(out.Credentials, wire.Credential{ID: wire.ID(c.ID), Name: c.Name, Data: c.Data, CreatedAt: wire.T(c.CreatedAt)})
	}
	for _, c := range p.Cookies {
		out.Cookies = append(out.Cookies, wire.Cookie{ID: wire.ID(c.ID), Name: c.Name, Key: c.Key, Value: c.Value, Expiry: wire.T(c.Expiry),
			Domain: c.Domain, Secure: wire.Bool(c.Secure), SameSite: c.SameSite, HTTPOnly: wire.Bool(c.HTTPOnly), CreatedAt: wire.T(c.CreatedAt)})
	}
	return out
}

func credentialsIn(in []wire.Credential) []sim.Credential {
	out := make([]sim.Credential, len(in))
	for i, c := range in {
		out[i] = sim.Credential{Name: c.Name, Data: c.Data}
	}
	return out
}

func cookiesIn(in []wire.Cookie) []sim.Cookie {
	out := make([]sim.Cookie, len(in))
	for i, c := range in {
		out[i] = sim.Cookie{Name: c.Name, Key: c.Key, Value: c.Value, Domain: c.Domain, Secure: bool(c.Secure),
			HTTPOnly: bool(c.HTTPOnly), SameSite: c.SameSite, Expiry: c.Expiry.Time}
	}
	return out
}

func poolOut(p sim.Pool) wire.Pool {
	return wire.Pool{ID: wire.ID(p.ID), Name: wire.String(p.Name), OrganizationID: wire.ID(p.OrganizationID), AllowConcurrentUse: wire.Bool(p.AllowConcurrentUse),
		SelectionStrategy: wire.String(p.SelectionStrategy), CreatedAt: wire.T(p.CreatedAt), UpdatedAt: wire.T(p.UpdatedAt)}
}

// pageOut converts a page of engine values.
func pageOut[T, W any](p api.Page[T], conv func(T) W) wire.Page[W] {
	items := make([]W, len(p.Items))
	for i, x := range p.Items {
		items[i] = conv(x)
	}
	return wire.Page[W]{Items: items, Page: wire.Int(p.Page), PageSize: wire.Int(p.PageSize), Total: wire.Int(p.Total)}
}
