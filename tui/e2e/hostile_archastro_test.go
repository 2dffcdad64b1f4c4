package e2e

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// archastroHostile is an ArchAstro API whose every string is hostile: one
// object shape carrying every field the client reads, served as lists
// ({"data": [...]}) and single records, as a server-sent event stream, and
// with wrong types, nulls and 100,000-character lines; errors carry escapes
// too.
type archastroHostile struct {
	mu    sync.Mutex
	calls int
	hs    *hostileServer // for its strings
}

func (a *archastroHostile) object(i int, id string) string {
	str := a.hs.str
	status := []string{`"waiting"`, `"running"`, `"completed"`, str(i), `null`, `7`}[i%6]
	if i%5 == 4 {
		return fmt.Sprintf(`{"id":%q,"agent":{"x":1},"status":%s,"created_at":12,"name":[1],"metadata":"m","messages":{"a":1},"data":null}`, id, status)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"id":%q,"agent":"agi_%d","status":%s,"created_at":"2026-12-06T10:%02d:00Z","updated_at":"2026-12-06T10:%02d:30Z"`, id, i%3, status, i%60, i%60)
	for j, k := range []string{"name", "description", "title", "content", "message", "text", "error", "kind", "type", "role",
		"level", "email", "org_name", "app_name", "instructions", "identity", "lookup_key", "sender_type", "routine", "session", "trajectory"} {
		fmt.Fprintf(&b, `,%q:%s`, k, str(i+j))
	}
	fmt.Fprintf(&b, `,"result":{"v":%s},"metadata":{"k":%s},"payload":{"text":%s,"content":%s},"messages":[{"id":"m%d","role":"assistant","content":%s,"sent_at":"2026-12-06T10:00:00Z"}]`,
		str(i), str(i+1), str(i+2), str(i+3), i, str(i+4))
	fmt.Fprintf(&b, `,"entries":[{"id":"en%d","content":%s,"created_at":"2026-12-06T10:00:00Z"}],"inbox":[{"id":"in%d","content":%s}],"journal":[{"message":%s}]}`,
		i, str(i+5), i, str(i+6), str(i+7))
	return b.String()
}

func (a *archastroHostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.calls++
	n := a.calls
	a.mu.Unlock()
	p := strings.TrimPrefix(r.URL.Path, "/api/v1")
	send := func(code int, body string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
	list := func(prefix string, n int) {
		items := make([]string, 0, n)
		for i := range n {
			items = append(items, a.object(i, fmt.Sprintf("%s_%02d", prefix, i)))
		}
		send(200, `{"data":[`+strings.Join(items, ",")+`],"has_more":false,"before_cursor":`+a.hs.str(n)+`}`)
	}
	switch {
	case strings.HasSuffix(p, "/stream"):
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		for i := range 5 {
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", strings.ReplaceAll(hostile[i%len(hostile)], "\n", " "), a.object(i, "ase_00"))
		}
	case n%3 == 0 && (p == "/activity_feed" || strings.HasPrefix(p, "/trajectories/")):
		// Errors where they cost a feed, not the sweep.
		send(500, fmt.Sprintf(`{"error":{"code":%s,"message":%s}}`, a.hs.str(n), a.hs.str(n+1)))
	case p == "/agent_sessions":
		list("ase", 20)
	case p == "/agent_routine_runs":
		list("arr", 20)
	case p == "/agents":
		list("agi", 3)
	case p == "/activity_feed":
		list("act", 20)
	case p == "/users/me":
		send(200, a.object(n, "usr_1"))
	case strings.HasPrefix(p, "/agent_sessions/"), strings.HasPrefix(p, "/agent_routines/runs/"), strings.HasPrefix(p, "/agents/"), strings.HasPrefix(p, "/trajectories/"):
		parts := strings.Split(strings.Trim(p, "/"), "/")
		send(200, a.object(n, parts[len(parts)-1]))
	default:
		send(404, fmt.Sprintf(`{"error":{"code":"not_found","message":%s}}`, a.hs.str(n)))
	}
}

// TestHostileArchAstro is TestHostilePlatform for the ArchAstro client:
// the CLI in table and JSON mode and the dashboard against an ArchAstro API
// of hostile strings, wrong types and streams.
func TestHostileArchAstro(t *testing.T) {
	r := newRig(t, 3*time.Minute)
	srv := &http.Server{Handler: &archastroHostile{hs: &hostileServer{}}, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	r.baseURL = "http://" + ln.Addr().String()
	r.platform = "archastro"
	r.vars = []string{"ARCHASTRO_BASE_URL=" + r.baseURL, "ARCHASTRO_API_KEY=sk_test_0123456789abcdef"}

	hostileCLI(t, r, [][]string{
		{"executions", "list"}, {"executions", "list"}, {"executions", "get", "ase_00"}, {"executions", "get", "arr_01"},
		{"activities", "ase_00"}, {"activities", "ase_01"}, {"agents", "list"}, {"wait", "ase_00", "--for", "interaction", "--timeout", "3s"},
	})
	hostileDashboard(t, r, 2)
}
