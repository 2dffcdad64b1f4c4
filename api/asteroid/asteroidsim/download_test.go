package asteroidsim

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// fetch GETs (or HEADs) a download URL without any key.
func fetch(t *testing.T, method, u string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, body
}

// agentFile returns a file an agent downloaded in some execution.
func agentFile(t *testing.T, f *fixture) (execID string, file wire.AgentFile) {
	t.Helper()
	page, err := f.e.Executions(api.ExecutionQuery{PageSize: 100})
	require.NoError(t, err)
	for _, x := range page.Items {
		if len(x.Files) == 0 {
			continue
		}
		var out wire.AgentFiles
		f.get("/agents/v2/executions/"+x.ID+"/agent-files", http.StatusOK, &out)
		if d := out.Directories["downloads"]; len(d) > 0 {
			return x.ID, d[0]
		}
	}
	t.Fatal("no execution has a downloaded file")
	return "", wire.AgentFile{}
}

func TestDownloadServesUploadedBytesWithoutAKey(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	id := f.find(api.StatusRunning)
	body, ctype := multipartFiles(t, "fact-find.txt")
	res := f.do(http.MethodPost, "/agents/v2/executions/"+id+"/context-files", body, "Content-Type", ctype)
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)

	var files []wire.ContextFile
	f.get("/agents/v2/executions/"+id+"/context-files", http.StatusOK, &files)
	require.Len(t, files, 1)
	u := string(files[0].SignedURL)
	require.True(t, strings.HasPrefix(u, f.srv.URL+"/files/"), "served on the handler's own origin: %s", u)

	status, h, got := fetch(t, http.MethodGet, u)
	require.Equal(t, http.StatusOK, status, "%s", got)
	assert.Equal(t, "content of fact-find.txt", string(got), "the bytes uploaded come back")
	assert.Equal(t, strconv.Itoa(int(files[0].FileSize)), h.Get("Content-Length"))
	assert.Contains(t, h.Get("Content-Disposition"), `filename=fact-find.txt`)

	// The v1 listing and the feed's file_added carry working URLs too.
	var v1 []wire.FileV1
	f.get("/api/v1/execution/"+id+"/files", http.StatusOK, &v1)
	require.NotEmpty(t, v1)
	status, _, _ = fetch(t, http.MethodGet, v1[len(v1)-1].SignedURL)
	assert.Equal(t, http.StatusOK, status)
	var acts []wire.Activity
	f.get("/agents/v2/executions/"+id+"/activities?order=desc&limit=5", http.StatusOK, &acts)
	found := false
	for _, a := range acts {
		if strings.Contains(string(a.Payload), `"presignedUrl":"`+f.srv.URL+`/files/`) {
			found = true
		}
	}
	assert.True(t, found, "file_added's presignedUrl points at the file server")
}

func TestDownloadOfAgentFileHasItsSize(t *testing.T) {
	f := newFixture(t, sim.Config{}, HandlerOptions{})
	_, file := agentFile(t, f)
	status, h, got := fetch(t, http.MethodGet, string(file.DownloadURL))
	require.Equal(t, http.StatusOK, status, "%s", got)
	assert.Len(t, got, int(file.FileSize))
	assert.Equal(t, strconv.Itoa(int(file.FileSize)), h.Get("Content-Length"))
	assert.Equal(t, string(file.MimeType), h.Get("Content-Type"))
	if strings.HasSuffix(string(file.FileName), ".pdf") {
		assert.True(t, strings.HasPrefix(string(got), "%PDF-"), "starts like a PDF")
	}
	_, _, again := fetch(t, http.MethodGet, string(file.DownloadURL))
	assert.Equal(t, got, again, "the same bytes every time")

	status, h, got = fetch(t, http.MethodHead, string(file.DownloadURL))
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, strconv.Itoa(int(file.FileSize)), h.Get("Content-Length"))
	assert.Empty(t, got)
}

func TestDownloadRefusesTamperedAndExpiredURLs(t *testing.T) {
	f := newFixture(t, sim.Config{}, HandlerOptions{})
	execID, file := agentFile(t, f)
	good, err := url.Parse(string(file.DownloadURL))
	require.NoError(t, err)

	s3 := func(u string, status int) string {
		t.Helper()
		got, h, body := fetch(t, http.MethodGet, u)
		require.Equal(t, status, got, "%s", body)
		assert.Equal(t, "application/xml", h.Get("Content-Type"))
		return string(body)
	}
	q := good.Query()
	q.Set("X-Amz-Signature", strings.Repeat("0", 64))
	bad := *good
	bad.RawQuery = q.Encode()
	assert.Contains(t, s3(bad.String(), http.StatusForbidden), "<Code>SignatureDoesNotMatch</Code>")

	other := *good // the signature of one file does not open another
	other.Path = "/files/" + execID + "/" + "00000000-0000-4000-8000-000000000000/x.pdf"
	other.RawPath = ""
	assert.Contains(t, s3(other.String(), http.StatusForbidden), "SignatureDoesNotMatch")

	q = good.Query()
	q.Set("X-Amz-Expires", "999999") // the lifetime is signed
	longer := *good
	longer.RawQuery = q.Encode()
	assert.Contains(t, s3(longer.String(), http.StatusForbidden), "SignatureDoesNotMatch")

	f.clk.Advance(URLExpiry + time.Second)
	assert.Contains(t, s3(good.String(), http.StatusForbidden), "<Message>Request has expired</Message>")
	assert.Contains(t, s3(f.srv.URL+"/files/nothing", http.StatusNotFound), "NoSuchKey")

	// A fresh listing gives a fresh URL.
	var out wire.AgentFiles
	f.get("/agents/v2/executions/"+execID+"/agent-files", http.StatusOK, &out)
	status, _, _ := fetch(t, http.MethodGet, string(out.Directories["downloads"][0].DownloadURL))
	assert.Equal(t, http.StatusOK, status)
}

func TestStartServesFilesOnAnAddressOfTheirOwn(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Start(ctx, Config{Sim: sim.Config{Seed: 4, PrivateKey: testKey(), Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}})
	require.NoError(t, err)
	defer srv.Close()
	require.True(t, strings.HasPrefix(srv.FilesURL, "http://127.0.0.1:"), srv.FilesURL)
	require.NotEqual(t, srv.URL, srv.FilesURL)

	page, err := srv.Engine.Executions(api.ExecutionQuery{PageSize: 100})
	require.NoError(t, err)
	var execID string
	for _, x := range page.Items {
		if len(x.Files) > 0 {
			execID = x.ID
			break
		}
	}
	require.NotEmpty(t, execID)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+wire.V1Prefix+"/execution/"+execID+"/files", nil)
	req.Header.Set(wire.APIKeyHeader, srv.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var files []wire.FileV1
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&files))
	resp.Body.Close()
	require.NotEmpty(t, files)
	require.True(t, strings.HasPrefix(files[0].SignedURL, srv.FilesURL+"/files/"), files[0].SignedURL)
	status, h, body := fetch(t, http.MethodGet, files[0].SignedURL)
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, body, int(files[0].FileSize))
	assert.Equal(t, strconv.Itoa(int(files[0].FileSize)), h.Get("Content-Length"))

	status, _, _ = fetch(t, http.MethodGet, srv.URL+strings.TrimPrefix(files[0].SignedURL, srv.FilesURL))
	assert.Equal(t, http.StatusUnauthorized, status, "the API's origin does not serve files when a file server does")
}
