package cli

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestPoolsCreateAndUpdate(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}

	var created PoolOutput
	decode(t, i.run(t, "pools", "create", "--name", "night-shift", "--strategy", "mru", "--concurrent", "-o", "json"), &created)
	assert.Equal(t, "night-shift", created.Name)
	assert.Equal(t, api.MostRecentlyUsed, created.SelectionStrategy)
	assert.True(t, created.AllowConcurrentUse)
	stored, err := f.e.Pool(created.ID)
	require.NoError(t, err)
	assert.Equal(t, "night-shift", stored.Name)
	assert.Equal(t, f.e.Organization().ID, stored.OrganizationID)

	r := i.run(t, "pools", "create", "--name", "plain")
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `(?m)^Strategy:\s+least_recently_used$`, r.out, "the documented default")
	assert.Regexp(t, `(?m)^Concurrent use:\s+no$`, r.out)

	r = i.run(t, "pools", "create", "--name", "NIGHT-SHIFT")
	assert.Equal(t, exitError, r.code, r)
	assert.Contains(t, r.err, `create pool "NIGHT-SHIFT": invalid request (HTTP 400): a pool named "NIGHT-SHIFT" already exists`)
	r = i.run(t, "pools", "create", "--name", strings.Repeat("x", 256))
	assert.Equal(t, exitError, r.code, r)
	assert.Contains(t, r.err, "name must be 1 to 255 characters")

	var updated PoolOutput
	decode(t, i.run(t, "pools", "update", created.ID, "--strategy", "least-recently-used", "--concurrent=false", "-o", "json"), &updated)
	assert.Equal(t, "night-shift", updated.Name, "what is not given stays")
	assert.Equal(t, api.LeastRecentlyUsed, updated.SelectionStrategy)
	assert.False(t, updated.AllowConcurrentUse)
	decode(t, i.run(t, "pools", "update", created.ID, "--name", "day-shift", "-o", "json"), &updated)
	assert.Equal(t, "day-shift", updated.Name)
	assert.False(t, updated.AllowConcurrentUse)

	r = i.run(t, "pools", "update", "no-such-pool", "--name", "x")
	assert.Equal(t, exitNotFound, r.code, r)

	for _, bad := range [][]string{
		{"pools", "create"},
		{"pools", "create", "--name", "x", "--strategy", "random"},
		{"pools", "update", created.ID},
		{"pools", "update", created.ID, "--name", " "},
		{"pools", "update"},
		{"--read-only", "pools", "create", "--name", "x"},
		{"--read-only", "pools", "update", created.ID, "--name", "x"},
	} {
		r := i.run(t, bad...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", bad, r)
	}
	page, _ := f.e.Pools(api.PoolQuery{PageSize: 100})
	assert.Equal(t, 4, page.Total, "the refused commands changed nothing")
}

func TestPoolsCreateSendsTheDocumentedBody(t *testing.T) {
	var body string
	base := stub(t, map[string]http.HandlerFunc{
		"GET /context": func(w http.ResponseWriter, _ *http.Request) {
			jsonReply(w, http.StatusOK, map[string]any{"userId": "u1", "organizations": []map[string]any{{"id": "org-1", "name": "Org"}}})
		},
		"POST /agent-profile-pools": func(w http.ResponseWriter, r *http.Request) {
			raw, _ := io.ReadAll(r.Body)
			body = string(raw)
			jsonReply(w, http.StatusCreated, map[string]any{"id": "p1", "name": "eu", "organizationId": "org-1",
				"allowConcurrentUse": false, "selectionStrategy": "most_recently_used"})
		},
	})
	r := inv{env: map[string]string{"HOME": t.TempDir(), envBaseURL: base, envAPIKey: testKey}}.
		run(t, "pools", "create", "--name", "eu", "--strategy", "MRU")
	require.Equal(t, 0, r.code, r)
	assert.JSONEq(t, `{"name":"eu","organizationId":"org-1","selectionStrategy":"most_recently_used"}`, body)
}

// bare is a platform with none of the optional operations.
type bare struct{ api.Unimplemented }

func (bare) Platform() string               { return "bare" }
func (bare) Capabilities() api.Capabilities { return api.Capabilities{Pools: true, Files: true} }

func TestOptionalOperationsAreRefusedClearly(t *testing.T) {
	_, err := poolManager(bare{})
	require.Error(t, err)
	assert.Equal(t, exitUsage, exitCode(err))
	assert.Equal(t, "the bare platform cannot create or change profile pools", err.Error())
	_, err = fileDownloader(bare{})
	require.Error(t, err)
	assert.Equal(t, exitUsage, exitCode(err))
	assert.Equal(t, "the bare platform cannot download files", err.Error())
}
