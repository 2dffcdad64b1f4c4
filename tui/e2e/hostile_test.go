package e2e

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// marker starts every hostile string, so that a leak is recognisable in
// the raw output.
const marker = "PWN"

// hostile are the strings a malicious or broken platform sends in every
// string field: terminal escapes that would write the clipboard (OSC 52),
// plant links (OSC 8), retitle the window (OSC 0), clear the screen (CSI
// 2J), talk to the terminal (DCS), the same as 8-bit C1 controls (UTF-8 and
// raw bytes), bidi overrides that reorder text, invisible characters and
// invalid UTF-8.
var hostile = []string{
	marker + "osc52\x1b]52;c;ZWNobyBwd25lZA==\x07",
	marker + "osc8\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\",
	marker + "osc0\x1b]0;" + marker + "-title\x07",
	marker + "csi\x1b[2J\x1b[H\x1b[31m",
	marker + "dcs\x1bP+q544e\x1b\\",
	marker + "c1\u009b2J\u009d0;" + marker + "\u009c",
	marker + "raw\x9b2J\x9d0;x\x9c",
	marker + "bidi\u202egnp.exe\u2066x\u2069\u200f",
	marker + "zw\u200b\u2060\ufeffx\u180e",
	marker + "utf8\xff\xfe\xc3\x28\xed\xa0\x80",
}

// long is a 100,000-character line.
var long = marker + strings.Repeat("long line ", 10_000)

// jstr writes s as a JSON string the way a careless server would: control
// characters escaped (so the client decodes them back), every other byte
// as is — invalid UTF-8 included.
func jstr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// hostileServer is an Asteroid API whose every string is hostile, whose
// listings come, in turn, well formed, 50 MB, nested 100,000 deep and with
// wrong types (five in eight well formed), and whose errors carry escapes too.
type hostileServer struct {
	mu    sync.Mutex
	calls map[string]int
	huge  []byte // 50 MB of valid JSON
	deep  []byte
}

func newHostileServer() *hostileServer {
	h := &hostileServer{calls: map[string]int{}}
	var b bytes.Buffer
	b.WriteString(`{"items":[`)
	for i := 0; b.Len() < 50<<20; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"big%07d","agentId":"a1","agentName":%s,"status":"running"}`, i, jstr(hostile[i%len(hostile)]))
	}
	b.WriteString(`],"page":1,"pageSize":100,"total":1}`)
	h.huge = b.Bytes()
	h.deep = []byte(`{"items":[` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `]}`)
	return h
}

func (h *hostileServer) str(i int) string {
	if i%7 == 3 {
		return jstr(long)
	}
	return jstr(hostile[i%len(hostile)])
}

// execution is one execution; odd ones have wrong types and nulls.
func (h *hostileServer) execution(i int) string {
	status := []string{`"paused_by_agent"`, `"running"`, `"completed"`, h.str(i), `null`, `42`}[i%6]
	if i%5 == 4 {
		return fmt.Sprintf(`{"id":"e%02d","agentId":{"x":1},"agentName":123,"status":%s,"createdAt":"yesterday","duration":"long","metadata":[1,2],"humanLabels":"x","comments":{"a":null},"executionResult":"oops"}`, i, status)
	}
	return fmt.Sprintf(`{"id":"e%02d","agentId":"a%d","agentName":%s,"status":%s,"createdAt":"2026-12-06T10:%02d:00Z",`+
		`"agentProfileName":%s,"browserLiveViewUrl":%s,"metadata":{"k":%s,"n":null},"inputs":{"deep":{"er":[%s]}},`+
		`"humanLabels":[{"id":"l1","name":%s,"color":%s}],"comments":[{"id":"c1","content":%s}],`+
		`"executionResult":{"outcome":%s,"reasoning":%s,"result":{"v":%s}}}`,
		i, i%3, h.str(i), status, i%60, h.str(i+1), h.str(i+2), h.str(i+3), h.str(i+4), h.str(i+5), h.str(i+6), h.str(i+7), h.str(i+8), h.str(i+9), h.str(i+1))
}

func (h *hostileServer) activities(id string) string {
	var items []string
	for i := range 30 {
		ts := fmt.Sprintf(`"2026-12-06T10:00:%02dZ"`, i)
		var payload string
		switch i % 6 {
		case 0:
			payload = fmt.Sprintf(`{"activityType":"action_started","actionName":"util_send_user_message","message":%s}`, h.str(i))
		case 1:
			payload = fmt.Sprintf(`{"activityType":"reasoning","reasoning":%s}`, h.str(i))
		case 2:
			payload = fmt.Sprintf(`{"activityType":%s,"data":{"message":%s}}`, h.str(i), h.str(i+1))
		case 3:
			payload = fmt.Sprintf(`{"activityType":"status_changed","status":%s,"pausedPayload":{"reason":%s}}`, h.str(i), h.str(i+2))
		case 4:
			payload = `{"activityType":"action_completed","message":12,"info":"wrong"}`
		default:
			payload = fmt.Sprintf(`{"activityType":"file_added","fileName":%s,"presignedUrl":%s,"fileSize":"big"}`, h.str(i), h.str(i+3))
		}
		items = append(items, fmt.Sprintf(`{"id":"%s-a%02d","executionId":"%s","timestamp":%s,"payload":%s}`, id, i, id, ts, payload))
	}
	items = append(items, `null`, `"a string"`, `{"id":null,"payload":null}`)
	return "[" + strings.Join(items, ",") + "]"
}

func (h *hostileServer) page(items []string) string {
	return `{"items":[` + strings.Join(items, ",") + fmt.Sprintf(`],"page":1,"pageSize":100,"total":%d}`, len(items))
}

func (h *hostileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	h.mu.Lock()
	h.calls[p]++
	n := h.calls[p]
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	send := func(code int, body string) {
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
	switch {
	case p == "/agents/v2/executions":
		switch n % 8 {
		case 1, 2, 3, 4, 5:
			var items []string
			for i := range 24 {
				items = append(items, h.execution(i))
			}
			send(200, h.page(items))
		case 6:
			w.WriteHeader(200)
			_, _ = w.Write(h.huge)
		case 7:
			w.WriteHeader(200)
			_, _ = w.Write(h.deep)
		default:
			send(200, `{"items":"none","page":"one","pageSize":null,"total":{"x":1}}`)
		}
	case strings.HasSuffix(p, "/activities"):
		id := strings.TrimSuffix(strings.TrimPrefix(p, "/agents/v2/executions/"), "/activities")
		if n%3 == 0 {
			send(500, fmt.Sprintf(`{"code":500,"message":%s}`, h.str(n)))
			return
		}
		send(200, h.activities(id))
	case strings.HasPrefix(p, "/agents/v2/executions/") && strings.Count(p, "/") == 4:
		var i int
		_, _ = fmt.Sscanf(strings.TrimPrefix(p, "/agents/v2/executions/e"), "%d", &i)
		send(200, h.execution(i))
	case p == "/agents/v2/agents":
		var items []string
		for i := range 3 {
			items = append(items, fmt.Sprintf(`{"id":"a%d","name":%s,"description":%s,"createdAt":null}`, i, h.str(i), h.str(i+3)))
		}
		send(200, h.page(items))
	case p == "/agents/v2/agent-profile-pools":
		send(200, h.page([]string{fmt.Sprintf(`{"id":"p1","name":%s,"selectionStrategy":%s,"allowConcurrentUse":"yes"}`, h.str(1), h.str(2))}))
	case p == "/agents/v2/context":
		send(200, fmt.Sprintf(`{"userId":"u1","email":%s,"organizations":[{"id":"o1","name":%s,"role":%s}]}`, h.str(1), h.str(2), h.str(3)))
	case p == "/api/v1/agent-profiles":
		send(200, fmt.Sprintf(`[{"id":"pr1","name":%s,"description":%s,"proxy_cc":%s,"credentials":[{"id":"c","name":%s,"data":%s}],"cookies":null}]`, h.str(0), h.str(1), h.str(2), h.str(3), h.str(4)))
	case strings.HasPrefix(p, "/api/v1/"):
		send(500, fmt.Sprintf(`{"error":%s}`, h.str(n)))
	default:
		send(404, fmt.Sprintf(`{"code":404,"message":%s}`, h.str(n)))
	}
}

// checkClean fails if out holds any of the hostile sequences: an OSC 52 or
// OSC 8 at all, an OSC or DCS carrying the marker, the marker followed by
// an escape, a C1 control (as UTF-8 or a raw byte: invalid UTF-8), a bidi
// control or an invisible character.
func checkClean(t *testing.T, what string, out []byte) {
	t.Helper()
	s := string(out)
	for _, seq := range append([]string{"\x1b]52", "\x1b]8;"}, leaks()...) {
		assert.NotContainsf(t, s, seq, "%s: %q leaked", what, seq)
	}
	for _, m := range regexp.MustCompile(`\x1b[\]P][^\x07\x1b]*`).FindAllString(s, -1) {
		assert.NotContainsf(t, m, marker, "%s: an OSC/DCS carries platform text: %q", what, m)
	}
	assert.Truef(t, utf8.Valid(out), "%s: invalid UTF-8 (a raw C1 byte or the platform's bad bytes) reached the terminal", what)
	for _, r := range s {
		bad := r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
			r == 0x200e || r == 0x200f || r == 0x200b || r == 0x2060 || r == 0xfeff || r == 0x180e
		if bad {
			t.Errorf("%s: %U reached the terminal", what, r)
			return
		}
	}
}

// watchPeak samples a process's peak resident size (VmHWM, KiB) every
// 2 ms until it exits; the function returned gives the last value seen.
// (The rusage of a child from os/exec reports the parent's size: the child
// starts as a vfork sharing the parent's memory.)
func watchPeak(pid int) func() int64 {
	var mu sync.Mutex
	var peak int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err != nil || strings.Contains(string(b), "State:\tZ") {
				return
			}
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					var n int64
					_, _ = fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &n)
					mu.Lock()
					peak = max(peak, n)
					mu.Unlock()
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	return func() int64 {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// leaks are the hostile strings' telltales: each one's label and its
// first escape (four bytes of it) or forbidden character, as they would
// appear had it passed through.
func leaks() []string {
	var out []string
	for _, h := range hostile {
		rest := h[len(marker):]
		for i, r := range rest {
			if r == 0x1b {
				out = append(out, rest[:min(i+4, len(rest))])
				break
			}
			if r >= 0x80 && r <= 0x9f || r == utf8.RuneError || r >= 0x200b && r <= 0x200f || r >= 0x202a && r <= 0x202e ||
				r >= 0x2060 && r <= 0x2069 || r == 0xfeff || r == 0x180e {
				out = append(out, rest[:i+utf8.RuneLen(r)])
				break
			}
		}
	}
	return out
}

// TestHostilePlatform points the real binary at hostileServer: the
// dashboard in tmux (its raw output captured with pipe-pane) is walked
// through every view, the details and the raw JSON, and the CLI lists and
// gets everything in table and JSON modes. None of the hostile sequences
// comes out, the dashboard keeps answering keys, and memory stays bounded.
func TestHostilePlatform(t *testing.T) {
	r := newRig(t, 4*time.Minute)
	hs := newHostileServer()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: hs, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	r.baseURL = "http://" + ln.Addr().String()

	// The CLI, table and JSON.
	hostileCLI(t, r, [][]string{
		{"executions", "list"}, {"executions", "list"}, {"executions", "list"}, {"executions", "list"}, {"executions", "list"},
		{"executions", "list"}, {"executions", "list"}, {"executions", "list"},
		{"executions", "get", "e00"}, {"executions", "get", "e04"}, {"activities", "e00"}, {"activities", "e01"},
		{"agents", "list"}, {"pools", "list"}, {"profiles", "list"}, {"profiles", "get", "pr1"}, {"files", "e00"},
	})
	// The dashboard; every listing kind comes round in turn.
	hostileDashboard(t, r, 3)
	t.Logf("%d execution listings served", hs.calls["/agents/v2/executions"])
}

// hostileCLI runs each command in table and JSON mode against the rig's
// server and checks what it prints, how long it takes and its peak memory.
func hostileCLI(t *testing.T, r *rig, cli [][]string) {
	t.Helper()
	maxRSS := int64(0)
	for _, args := range cli {
		for _, mode := range [][]string{nil, {"-o", "json"}} {
			argv := append(append([]string{}, args...), mode...)
			if r.platform != "" {
				argv = append([]string{"--platform", r.platform}, argv...)
			}
			cmd := exec.CommandContext(r.ctx, r.bin, argv...)
			cmd.Env = append(append(os.Environ(), r.vars0()...), "NO_COLOR=", "AGENTOP_PLATFORM=")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			require.NoError(t, cmd.Start())
			hwm := watchPeak(cmd.Process.Pid)
			_ = cmd.Wait() // failing is fine (a 50 MB page is refused); printing the attack is not
			took := time.Since(start)
			peak := hwm()
			maxRSS = max(maxRSS, peak)
			what := strings.Join(argv, " ")
			checkClean(t, "agentop "+what, out.Bytes())
			assert.NotContainsf(t, out.String(), "\x1b", "agentop %s: no escape at all on a pipe", what)
			assert.Lessf(t, took, 20*time.Second, "agentop %s took %s", what, took)
			if os.Getenv("AGENTOP_RSS") != "" {
				t.Logf("agentop %s: peak %d MiB in %s:\n%.300s", what, peak>>10, took.Round(time.Millisecond), out.String())
			}
		}
	}
	t.Logf("CLI: %d commands × 2 modes; the largest resident size %d MiB", len(cli), maxRSS>>10)
	assert.Less(t, maxRSS>>10, int64(200), "the CLI's memory is bounded (MiB)")
}

// hostileDashboard walks the dashboard in tmux through the table, the feed
// (wrap, expand, bottom), the details, the next waiting execution, every
// view and help, rounds times, checking it answers keys; then checks its
// raw output and its peak memory.
func hostileDashboard(t *testing.T, r *rig, rounds int) {
	t.Helper()
	r.dashboard(160, 48)
	raw := filepath.Join(r.dir, "raw.out")
	r.tm.run("pipe-pane", "-t", "e2e", "-o", "cat >> "+raw)
	r.tm.waitFor(30*time.Second, "Executions", marker)
	pid := r.pid()
	peak := 0
	step := func(keys ...string) {
		for _, k := range keys {
			r.tm.keys(k)
			time.Sleep(400 * time.Millisecond)
			peak = max(peak, rssKiB(pid))
		}
	}
	for round := range rounds {
		step("j", "j", "j", "tab", "w", "enter", "enter", "G", "Escape")
		step("d")
		time.Sleep(time.Second)
		step("j", "j", "Escape", "!")
		step("2", "3", "4", "5", "1", "?", "Escape")
		// Still answering: a view switch shows within five seconds.
		start := time.Now()
		r.tm.keys("2")
		r.tm.waitFor(5*time.Second, "Agents")
		r.tm.keys("1")
		r.tm.waitFor(5*time.Second, "Executions")
		t.Logf("round %d: a view switch answered in %s; resident %d MiB", round, time.Since(start).Round(10*time.Millisecond), rssKiB(pid)>>10)
		require.True(t, alive(pid), "the dashboard is running")
	}
	r.tm.keys("q")
	r.tm.waitFor(15*time.Second, "AGENTOP-EXITED 0")
	out, err := os.ReadFile(raw)
	require.NoError(t, err)
	checkClean(t, "the dashboard", out)
	assert.Contains(t, string(out), marker, "the platform's text was shown (sanitised)")
	t.Logf("dashboard: %d bytes of raw output checked; peak resident %d MiB", len(out), peak>>10)
	assert.Less(t, peak>>10, 300, "the dashboard's memory is bounded (MiB)")
}
