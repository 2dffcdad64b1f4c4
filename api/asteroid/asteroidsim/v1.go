package asteroidsim

import (
	_ "embed"
	"net/http"
	"strconv"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

func (h *handler) listProfiles(r *http.Request) (int, any, error) {
	ps, err := h.e.Profiles(newQuery(r).str("organization_id"))
	if err != nil {
		return 0, nil, err
	}
	out := make([]wire.AgentProfile, len(ps))
	for i, p := range ps {
		out[i] = profileOut(p)
	}
	return http.StatusOK, out, nil
}

func (h *handler) getProfile(r *http.Request) (int, any, error) {
	p, err := h.e.Profile(r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, profileOut(p), nil
}

func (h *handler) createProfile(r *http.Request) (int, any, error) {
	var in wire.CreateAgentProfileRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	p, err := h.e.CreateProfile(sim.ProfileInput{
		Name: in.Name, Description: in.Description, OrganizationID: in.OrganizationID,
		ProxyCountry: in.ProxyCC, ProxyType: in.ProxyType, CaptchaSolver: in.CaptchaSolverActive, StickyIP: in.StickyIP,
		ExtraStealth: in.ExtraStealth != nil && *in.ExtraStealth,
		Credentials:  credentialsIn(in.Credentials), Cookies: cookiesIn(in.Cookies),
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, profileOut(p), nil
}

func (h *handler) updateProfile(r *http.Request) (int, any, error) {
	var in wire.UpdateAgentProfileRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	p, err := h.e.UpdateProfile(r.PathValue("id"), sim.ProfileUpdate{
		Name: in.Name, Description: in.Description, ProxyCountry: in.ProxyCC, ProxyType: in.ProxyType,
		CaptchaSolver: in.CaptchaSolverActive, StickyIP: in.StickyIP, ExtraStealth: in.ExtraStealth,
		AddCredentials: credentialsIn(in.CredentialsToAdd), DeleteCredentials: in.CredentialsToDelete,
		AddCookies: cookiesIn(in.CookiesToAdd), DeleteCookies: in.CookiesToDelete,
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, profileOut(p), nil
}

func (h *handler) deleteProfile(r *http.Request) (int, any, error) {
	if err := h.e.DeleteProfile(r.PathValue("id")); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.DeleteResponse{Message: "Agent profile deleted."}, nil
}

// publicKey serves the PEM as a JSON string.
func (h *handler) publicKey(*http.Request) (int, any, error) {
	return http.StatusOK, h.e.PublicKeyPEM(), nil
}

func (h *handler) statusV1(r *http.Request) (int, any, error) {
	x, err := h.e.Execution(r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.ExecutionStatusV1{ExecutionID: x.ID, Status: string(x.Status),
		Reason: x.StatusReason, UpdatedAt: wire.T(x.UpdatedAt)}, nil
}

// resultV1 serves the v1 result: execution_result once there is one (and
// its data again in the deprecated result), error for a failure.
func (h *handler) resultV1(r *http.Request) (int, any, error) {
	x, err := h.e.Execution(r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	out := wire.ExecutionResultV1{ExecutionID: x.ID, Status: string(x.Status)}
	if x.Status == api.StatusFailed {
		out.Error = x.StatusReason
	}
	if res := x.Result; res != nil {
		out.Result = res.Data
		out.ExecutionResult = &wire.ExecutionResultV1Body{Outcome: res.Outcome, Reasoning: res.Reasoning, Result: res.Data}
	}
	return http.StatusOK, out, nil
}

func (h *handler) recordingV1(r *http.Request) (int, any, error) {
	x, err := h.e.Execution(r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	if x.RecordingURL == "" {
		return 0, nil, &api.Error{Kind: api.KindNotFound, Message: "No browser session recording for this execution (yet)."}
	}
	return http.StatusOK, wire.RecordingV1{RecordingURL: x.RecordingURL}, nil
}

func (h *handler) filesV1(r *http.Request) (int, any, error) {
	x, err := h.e.Execution(r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	out := make([]wire.FileV1, len(x.Files))
	for i, f := range h.signed(r, x.Files) {
		out[i] = fileV1Out(f)
	}
	return http.StatusOK, out, nil
}

func (h *handler) executeV1(r *http.Request) (int, any, error) {
	var in wire.ExecuteRequestV1
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	x, err := h.e.Execute(r.PathValue("id"), sim.ExecuteRequest{ProfileID: in.AgentProfileID, Inputs: in.DynamicData})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, wire.ExecuteResponseV1{ExecutionID: x.ID}, nil
}

// executeLegacyV1 is the deprecated POST /agent/{id}: the body is the
// agent's variables themselves (AgentExecutionRequest, an object of any
// keys), merged into its configuration as dynamic data; no profile.
func (h *handler) executeLegacyV1(r *http.Request) (int, any, error) {
	var vars map[string]any
	if err := decode(r, &vars); err != nil {
		return 0, nil, err
	}
	x, err := h.e.Execute(r.PathValue("id"), sim.ExecuteRequest{Inputs: vars})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, wire.ExecuteResponseV1{ExecutionID: x.ID}, nil
}

// uploadFilesV1 is v1 POST /execution/{id}/files: multipart "files" into a
// running execution, answered with the new files' ids.
func (h *handler) uploadFilesV1(r *http.Request) (int, any, error) {
	id := r.PathValue("id")
	if _, err := h.e.Execution(id); err != nil {
		return 0, nil, err
	}
	files, err := h.uploads(r)
	if err != nil {
		return 0, nil, err
	}
	added, err := h.e.AddFiles(id, files)
	if err != nil {
		return 0, nil, err
	}
	out := wire.UploadFilesV1{Message: wire.MsgFilesUploaded, FileIDs: make([]string, len(added))}
	for i, f := range added {
		out.FileIDs[i] = f.ID
	}
	return http.StatusOK, out, nil
}

// openAPIV1 is the v1 OpenAPI document: what this simulator serves under
// /api/v1, in the shapes it serves them.
//
//go:embed openapi_v1.yaml
var openAPIV1 []byte

// openAPI serves GET /openapi.yaml (no key needed, as the SDK calls it).
func openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Length", strconv.Itoa(len(openAPIV1)))
	_, _ = w.Write(openAPIV1)
}
