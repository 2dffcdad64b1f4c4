package asteroidsim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// publicKey fetches and parses the credentials key, as an SDK does.
func (f *fixture) publicKey() *rsa.PublicKey {
	f.t.Helper()
	var pemText string
	f.get("/api/v1/credentials/public_key", http.StatusOK, &pemText)
	block, _ := pem.Decode([]byte(pemText))
	require.NotNil(f.t, block, "%q", pemText)
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(f.t, err)
	return pub.(*rsa.PublicKey)
}

func seal(t *testing.T, pub *rsa.PublicKey, plaintext string) string {
	t.Helper()
	//lint:ignore SA1019 the protocol's encryption (reference §2.7)
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, pub, []byte(plaintext))
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(ct)
}

func TestProfileEndpoints(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	var list []wire.AgentProfile
	f.get("/api/v1/agent-profiles?organization_id="+f.e.Organization().ID, http.StatusOK, &list)
	require.NotEmpty(t, list)
	v1Error(t, f.do(http.MethodGet, "/api/v1/agent-profiles?organization_id=other", nil), http.StatusForbidden)

	pub := f.publicKey()
	sealed := seal(t, pub, "correct horse battery staple")
	res := f.do(http.MethodPost, "/api/v1/agent-profiles", wire.CreateAgentProfileRequest{
		Name: "night-ops", Description: "Night shift", OrganizationID: f.e.Organization().ID, ProxyCC: "de", ProxyType: "residential",
		CaptchaSolverActive: true, Credentials: []wire.Credential{{Name: "portal_password", Data: sealed}},
		Cookies: []wire.Cookie{{Name: "Session", Key: "sid", Value: "abc", Domain: ".example.com", Secure: true, SameSite: "Lax"}},
	})
	require.Equal(t, http.StatusCreated, res.status, "%s", res.body)
	var p wire.AgentProfile
	require.NoError(t, json.Unmarshal(res.body, &p))
	assert.Equal(t, "night-ops", string(p.Name))
	require.Len(t, p.Credentials, 1)
	assert.Equal(t, sealed, p.Credentials[0].Data, "GET returns the stored ciphertext, never plaintext")
	assert.NotContains(t, string(res.body), "correct horse")
	plain, err := f.e.DecryptCredential(p.Credentials[0].Data)
	require.NoError(t, err)
	assert.Equal(t, "correct horse battery staple", plain)

	var got wire.AgentProfile
	f.get("/api/v1/agent-profiles/"+string(p.ID), http.StatusOK, &got)
	assert.Equal(t, p.ID, got.ID)
	require.Len(t, got.Cookies, 1)

	for name, data := range map[string]string{
		"plaintext":        "correct horse battery staple",
		"base64 plaintext": base64.StdEncoding.EncodeToString([]byte("pw")),
		"other key":        seal(t, &testOtherKey().PublicKey, "pw"),
	} {
		msg := v1Error(t, f.do(http.MethodPost, "/api/v1/agent-profiles", wire.CreateAgentProfileRequest{
			Name: "bad-" + name, Credentials: []wire.Credential{{Name: "c", Data: data}}}), http.StatusBadRequest)
		assert.Contains(t, msg, "decrypt", name)
		v1Error(t, f.do(http.MethodPatch, "/api/v1/agent-profiles/"+string(p.ID), wire.UpdateAgentProfileRequest{
			CredentialsToAdd: []wire.Credential{{Name: "c", Data: data}}}), http.StatusBadRequest)
	}
	v1Error(t, f.do(http.MethodPost, "/api/v1/agent-profiles", wire.CreateAgentProfileRequest{Name: "night-ops"}), http.StatusBadRequest)

	desc := "Night shift, EU"
	res = f.do(http.MethodPatch, "/api/v1/agent-profiles/"+string(p.ID), wire.UpdateAgentProfileRequest{Description: &desc,
		CredentialsToAdd:    []wire.Credential{{Name: "totp", Data: seal(t, pub, "JBSWY3DPEHPK3PXP")}},
		CredentialsToDelete: []string{string(p.Credentials[0].ID)}, CookiesToDelete: []string{string(got.Cookies[0].ID)}})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	require.NoError(t, json.Unmarshal(res.body, &got))
	assert.Equal(t, desc, string(got.Description))
	require.Len(t, got.Credentials, 1)
	assert.Equal(t, "totp", got.Credentials[0].Name)
	assert.Empty(t, got.Cookies)

	res = f.do(http.MethodDelete, "/api/v1/agent-profiles/"+string(p.ID), nil)
	require.Equal(t, http.StatusOK, res.status)
	var del wire.DeleteResponse
	require.NoError(t, json.Unmarshal(res.body, &del))
	assert.NotEmpty(t, del.Message)
	v1Error(t, f.do(http.MethodGet, "/api/v1/agent-profiles/"+string(p.ID), nil), http.StatusNotFound)
	v1Error(t, f.do(http.MethodDelete, "/api/v1/agent-profiles/"+string(p.ID), nil), http.StatusNotFound)
	v1Error(t, f.do(http.MethodPost, "/api/v1/agent-profiles", []byte("nope")), http.StatusBadRequest)
}

func TestV1ExecutionEndpoints(t *testing.T) {
	f := newFixture(t, sim.Config{}, HandlerOptions{})
	failed := f.find(api.StatusFailed)
	var st wire.ExecutionStatusV1
	f.get("/api/v1/execution/"+failed+"/status", http.StatusOK, &st)
	assert.Equal(t, "failed", st.Status)
	assert.NotEmpty(t, st.Reason)
	assert.False(t, st.UpdatedAt.IsZero())

	var res wire.ExecutionResultV1
	f.get("/api/v1/execution/"+failed+"/result", http.StatusOK, &res)
	assert.Equal(t, st.Reason, res.Error)

	done := f.find(api.StatusCompleted)
	f.get("/api/v1/execution/"+done+"/result", http.StatusOK, &res)
	require.NotNil(t, res.ExecutionResult)
	assert.Equal(t, "success", res.ExecutionResult.Outcome)
	assert.JSONEq(t, string(res.ExecutionResult.Result), string(res.Result))

	var rec wire.RecordingV1
	f.get("/api/v1/execution/"+done+"/browser_session/recording", http.StatusOK, &rec)
	assert.Contains(t, rec.RecordingURL, "https://")
	v1Error(t, f.do(http.MethodGet, "/api/v1/execution/"+f.find(api.StatusRunning)+"/browser_session/recording", nil), http.StatusNotFound)

	var files []wire.FileV1
	f.get("/api/v1/execution/"+done+"/files", http.StatusOK, &files)

	agents, _ := f.e.Agents(api.AgentQuery{})
	r := f.do(http.MethodPost, "/api/v1/agent/"+agents.Items[0].ID+"/execute", wire.ExecuteRequestV1{DynamicData: map[string]any{"month": "June 2025"}})
	require.Equal(t, http.StatusAccepted, r.status, "%s", r.body)
	var out wire.ExecuteResponseV1
	require.NoError(t, json.Unmarshal(r.body, &out))
	f.get("/api/v1/execution/"+out.ExecutionID+"/status", http.StatusOK, &st)
	assert.Equal(t, "starting", st.Status)

	v1Error(t, f.do(http.MethodPost, "/api/v1/agent/nope/execute", wire.ExecuteRequestV1{}), http.StatusNotFound)
	for _, p := range []string{"status", "result", "browser_session/recording", "files"} {
		v1Error(t, f.do(http.MethodGet, "/api/v1/execution/nope/"+p, nil), http.StatusNotFound)
	}
	var h wire.HealthV1
	f.get("/api/v1/health", http.StatusOK, &h)
	assert.Equal(t, "ok", h.Status)
}
