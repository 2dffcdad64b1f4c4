package asteroidsim

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

func TestOpenAPIDescribesWhatIsServed(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	resp, err := http.Get(f.srv.URL + "/api/v1/openapi.yaml") // no key: the SDK sends none
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", raw)
	assert.Equal(t, "application/yaml", resp.Header.Get("Content-Type"))

	var doc struct {
		OpenAPI string `yaml:"openapi"`
		Servers []struct {
			URL string `yaml:"url"`
		} `yaml:"servers"`
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &doc))
	assert.True(t, strings.HasPrefix(doc.OpenAPI, "3."))
	require.Equal(t, wire.V1Prefix, doc.Servers[0].URL)

	// Ids that exist, so a served endpoint answers something other than
	// "no such endpoint".
	agents, _ := f.e.Agents(api.AgentQuery{})
	profiles, _ := f.e.Profiles("")
	ids := map[string]string{"/agent/": agents.Items[0].ID, "/execution/": f.find(api.StatusRunning), "/agent-profiles/": profiles[0].ID}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			method = strings.ToUpper(method)
			documented[method+" "+pathParam.ReplaceAllString(path, "{}")] = true
			concrete := pathParam.ReplaceAllStringFunc(path, func(string) string {
				for prefix, id := range ids {
					if strings.HasPrefix(path, prefix) {
						return id
					}
				}
				return "x"
			})
			res := f.do(method, wire.V1Prefix+concrete, []byte(`{}`), "Content-Type", "application/json")
			assert.NotContains(t, string(res.body), "no such endpoint", "%s %s is documented but not served", method, path)
			assert.NotEqual(t, http.StatusMethodNotAllowed, res.status, "%s %s", method, path)
		}
	}

	// And every v1 endpoint the simulator serves is documented.
	h := &handler{e: f.e}
	for pattern := range h.routeTable() {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok || !strings.HasPrefix(path, wire.V1Prefix+"/") {
			continue
		}
		key := method + " " + pathParam.ReplaceAllString(strings.TrimPrefix(path, wire.V1Prefix), "{}")
		assert.True(t, documented[key], "%s is served but not documented", pattern)
	}
	assert.GreaterOrEqual(t, len(documented), 15)
}

func TestDeprecatedExecuteTakesTheVariablesAsTheBody(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	agents, _ := f.e.Agents(api.AgentQuery{})
	agent := agents.Items[0]
	res := f.do(http.MethodPost, "/api/v1/agent/"+agent.ID, map[string]any{"vendor": "Brightline", "month": "2025-11"})
	require.Equal(t, http.StatusAccepted, res.status, "%s", res.body)
	var out wire.ExecuteResponseV1
	require.NoError(t, json.Unmarshal(res.body, &out))
	x, err := f.e.Execution(out.ExecutionID)
	require.NoError(t, err)
	assert.Equal(t, agent.ID, x.AgentID)
	assert.Equal(t, "Brightline", x.Inputs["vendor"], "merged over the agent's saved inputs")
	assert.Equal(t, "2025-11", x.Inputs["month"])
	assert.Empty(t, x.ProfileID)

	assert.Contains(t, v1Error(t, f.do(http.MethodPost, "/api/v1/agent/"+agent.ID, []byte(`["not","an","object"]`)), http.StatusBadRequest), "JSON")
	v1Error(t, f.do(http.MethodPost, "/api/v1/agent/"+agent.ID, nil), http.StatusBadRequest)
	v1Error(t, f.do(http.MethodPost, "/api/v1/agent/nope", map[string]any{}), http.StatusNotFound)
}

func TestV1UploadFilesAnswersTheirIDs(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	id := f.find(api.StatusRunning)
	body, ctype := multipartFiles(t, "a.txt", "b.csv")
	res := f.do(http.MethodPost, "/api/v1/execution/"+id+"/files", body, "Content-Type", ctype)
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var out wire.UploadFilesV1
	require.NoError(t, json.Unmarshal(res.body, &out))
	assert.Equal(t, "Files uploaded.", out.Message)
	require.Len(t, out.FileIDs, 2)
	var files []wire.FileV1
	f.get("/api/v1/execution/"+id+"/files", http.StatusOK, &files)
	for _, fid := range out.FileIDs {
		assert.True(t, slices.ContainsFunc(files, func(fl wire.FileV1) bool { return fl.ID == fid }), fid)
	}
	assert.Equal(t, "Invalid file upload request.", v1Error(t, f.do(http.MethodPost, "/api/v1/execution/"+id+"/files", []byte("x"), "Content-Type", "text/plain"), http.StatusBadRequest))
	v1Error(t, f.do(http.MethodPost, "/api/v1/execution/nope/files", body, "Content-Type", ctype), http.StatusNotFound)
}
