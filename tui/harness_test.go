package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/reply"
	"github.com/agentop/agentop/tui/internal/views/executions"
	"github.com/agentop/agentop/tui/theme"
)

// t0 is the tests' fixed "now".
var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// fakeBackend records mutating calls and can be told to fail them.
type fakeBackend struct {
	mu       sync.Mutex
	calls    []string
	replies  []string
	acts     map[string][]api.Activity // newest first, as Activities(desc) returns
	replyErr error
	errs     map[string]error // op → error
	executed []api.ExecuteRequest
	profiles []api.ProfileInput
	updates  []api.ProfileUpdate
	pools    []api.PoolInput
	poolUps  []api.PoolUpdate
	caps     api.Capabilities
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{acts: map[string][]api.Activity{}, errs: map[string]error{}, caps: api.Capabilities{
		Execute: true, Pause: true, Resume: true, Cancel: true, Reply: true, Files: true, Recording: true,
		Profiles: true, ManageProfiles: true, Pools: true, Download: true, ManagePools: true,
	}}
}

func (f *fakeBackend) record(op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, op)
	return f.errs[strings.Fields(op)[0]]
}

func (f *fakeBackend) called(op string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Contains(f.calls, op)
}

func (f *fakeBackend) Platform() string               { return "fake" }
func (f *fakeBackend) Capabilities() api.Capabilities { return f.caps }
func (f *fakeBackend) ListAgents(context.Context, api.AgentQuery) (api.Page[api.Agent], error) {
	return api.Page[api.Agent]{}, nil
}
func (f *fakeBackend) ListExecutions(context.Context, api.ExecutionQuery) (api.Page[api.Execution], error) {
	return api.Page[api.Execution]{}, nil
}
func (f *fakeBackend) GetExecution(_ context.Context, id string) (api.Execution, error) {
	return api.Execution{}, &api.Error{Kind: api.KindNotFound}
}
func (f *fakeBackend) Activities(_ context.Context, id string, _ api.ActivityQuery) ([]api.Activity, error) {
	if err := f.record("activities " + id); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.acts[id]), nil
}
func (f *fakeBackend) Execute(_ context.Context, agentID string, req api.ExecuteRequest) (string, error) {
	if err := f.record("execute " + agentID); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.executed = append(f.executed, req)
	return "new-exec-0001", nil
}
func (f *fakeBackend) Pause(_ context.Context, id string) error  { return f.record("pause " + id) }
func (f *fakeBackend) Resume(_ context.Context, id string) error { return f.record("resume " + id) }
func (f *fakeBackend) Cancel(_ context.Context, id string) error { return f.record("cancel " + id) }
func (f *fakeBackend) Reply(_ context.Context, id, msg string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "reply "+id)
	if f.replyErr != nil {
		return f.replyErr
	}
	f.replies = append(f.replies, msg)
	return nil
}
func (f *fakeBackend) StageFiles(context.Context, string, []api.Upload) ([]api.TempFile, error) {
	return nil, nil
}
func (f *fakeBackend) AddFiles(context.Context, string, []api.Upload) error { return nil }
func (f *fakeBackend) Files(_ context.Context, id string) ([]api.File, error) {
	return []api.File{{Name: "invoice.pdf", Path: "downloads/invoice.pdf", Size: 2048, Directory: "downloads"}}, nil
}
func (f *fakeBackend) Recording(context.Context, string) (string, error) { return "", nil }

// CreatePool implements api.PoolManager.
func (f *fakeBackend) CreatePool(_ context.Context, in api.PoolInput) (api.ProfilePool, error) {
	if err := f.record("create-pool " + in.Name); err != nil {
		return api.ProfilePool{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pools = append(f.pools, in)
	return api.ProfilePool{ID: "pool-new", Name: in.Name}, nil
}

// UpdatePool implements api.PoolManager.
func (f *fakeBackend) UpdatePool(_ context.Context, id string, up api.PoolUpdate) (api.ProfilePool, error) {
	err := f.record("update-pool " + id)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.poolUps = append(f.poolUps, up) // what was asked, even when refused
	return api.ProfilePool{ID: id}, err
}

// Download implements api.FileDownloader: f.Size bytes of 'x'.
func (f *fakeBackend) Download(_ context.Context, file api.File, w io.Writer) (int64, error) {
	if err := f.record("download " + file.Name); err != nil {
		return 0, err
	}
	n, err := w.Write(bytes.Repeat([]byte("x"), int(file.Size)))
	return int64(n), err
}
func (f *fakeBackend) ListProfiles(context.Context, api.ProfileQuery) ([]api.Profile, error) {
	return nil, nil
}
func (f *fakeBackend) GetProfile(context.Context, string) (api.Profile, error) {
	return api.Profile{}, nil
}
func (f *fakeBackend) CreateProfile(_ context.Context, in api.ProfileInput) (api.Profile, error) {
	if err := f.record("create-profile " + in.Name); err != nil {
		return api.Profile{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.profiles = append(f.profiles, in)
	return api.Profile{ID: "p-new", Name: in.Name}, nil
}
func (f *fakeBackend) UpdateProfile(_ context.Context, id string, up api.ProfileUpdate) (api.Profile, error) {
	if err := f.record("update-profile " + id); err != nil {
		return api.Profile{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, up)
	return api.Profile{ID: id}, nil
}
func (f *fakeBackend) DeleteProfile(_ context.Context, id string) error {
	return f.record("delete-profile " + id)
}
func (f *fakeBackend) ListPools(context.Context, api.PoolQuery) (api.Page[api.ProfilePool], error) {
	return api.Page[api.ProfilePool]{}, nil
}
func (f *fakeBackend) GetPool(context.Context, string) (api.ProfilePool, error) {
	return api.ProfilePool{}, nil
}
func (f *fakeBackend) UserContext(context.Context) (api.UserContext, error) {
	return api.UserContext{}, nil
}

// fakeSource records what the model asks of the poller.
type fakeSource struct {
	mu      sync.Mutex
	focus   []string
	gens    []uint64
	visible []string
	nudges  int
	refresh int
}

func (s *fakeSource) Focus(id string, gen uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.focus, s.gens = append(s.focus, id), append(s.gens, gen)
}
func (s *fakeSource) SetVisible(ids []string, _ uint64) {
	s.mu.Lock()
	s.visible = ids
	s.mu.Unlock()
}
func (s *fakeSource) Nudge()   { s.mu.Lock(); s.nudges++; s.mu.Unlock() }
func (s *fakeSource) Refresh() { s.mu.Lock(); s.refresh++; s.mu.Unlock() }

// harness drives a Model the way the program does: Update, then run the
// returned commands and feed their messages back. Commands that do not
// finish quickly (ticks, debounces) are not followed.
type harness struct {
	t       *testing.T
	m       *Model
	backend *fakeBackend
	src     *fakeSource
	quit    bool
	raw     []string // raw terminal output requested (bell, OSC)
	seq     uint64
}

type optFn func(*Options)

func newHarness(t *testing.T, width, height int, opts ...optFn) *harness {
	t.Helper()
	b := newFakeBackend()
	none, _ := theme.Lookup("none")
	o := Options{Backend: b, Context: "test", Theme: none, Now: func() time.Time { return t0 }}
	for _, fn := range opts {
		fn(&o)
	}
	src := &fakeSource{}
	h := &harness{t: t, m: New(context.Background(), o, src), backend: b, src: src}
	h.send(tea.WindowSizeMsg{Width: width, Height: height})
	return h
}

var cmdSlice = reflect.TypeOf([]tea.Cmd(nil))

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		h.deliver(msg)
	case <-time.After(250 * time.Millisecond): // long enough for a loaded machine; blocking Cmds (ticks) are skipped
	}
}

func (h *harness) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tea.QuitMsg:
		h.quit = true
	case tea.RawMsg:
		h.raw = append(h.raw, fmt.Sprint(msg.Msg))
	default:
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdSlice) {
			for _, c := range v.Convert(cmdSlice).Interface().([]tea.Cmd) { // tea.Sequence
				h.run(c)
			}
			return
		}
		h.send(msg)
	}
}

// keys types keystrokes: named keys ("enter", "esc", "tab", "ctrl+c", …) or text.
func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyPress(k))
	}
}

// typeText types each character of s.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

var named = map[string]tea.Key{
	"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown},
	"left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight}, "space": {Code: tea.KeySpace, Text: " "},
	"ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "ctrl+s": {Code: 's', Mod: tea.ModCtrl},
	"alt+enter": {Code: tea.KeyEnter, Mod: tea.ModAlt}, "ctrl+r": {Code: 'r', Mod: tea.ModCtrl},
}

func keyPress(k string) tea.KeyPressMsg {
	if n, ok := named[k]; ok {
		return tea.KeyPressMsg(n)
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// selectExec selects an execution as moving the cursor would.
func (h *harness) selectExec(id string) {
	h.t.Helper()
	h.run(h.m.Show(pane.Target{Execution: id}))
}

// view is the screen without colour or attributes.
func (h *harness) view() string { return ansi.Strip(h.m.render()) }

// snapshot delivers a fleet snapshot as the poller would.
func (h *harness) snapshot(execs []api.Execution, questions map[string]api.InteractionRequest) *poller.Snapshot {
	h.t.Helper()
	h.seq++
	snap := poller.NewSnapshot(h.seq, t0, slices.Clone(execs), 0, questions)
	h.send(PollMsg{poller.SnapshotEvent{Snapshot: snap}, poller.ConnectionEvent{State: poller.Live, LastSuccess: t0}})
	return snap
}

// activities delivers activities for the focused execution.
func (h *harness) activities(id string, reset bool, acts ...api.Activity) {
	h.t.Helper()
	h.send(PollMsg{poller.ActivitiesEvent{ExecutionID: id, Focus: h.focusGen(), Activities: acts, Reset: reset}})
}

func mkExec(id, agent string, st api.Status, age time.Duration) api.Execution {
	return api.Execution{ID: id, AgentID: "agent-" + strings.ToLower(strings.Fields(agent)[0]), AgentName: agent,
		Status: st, CreatedAt: t0.Add(-age)}
}

// fleet is a small fleet with one agent waiting.
func fleet() ([]api.Execution, map[string]api.InteractionRequest) {
	execs := []api.Execution{
		mkExec("aaaa1111-run", "Invoice downloader", api.StatusRunning, 2*time.Minute),
		mkExec("bbbb2222-ask", "Insurance quote filler", api.StatusPausedByAgent, 5*time.Minute),
		mkExec("cccc3333-ok", "Supplier portal checker", api.StatusCompleted, time.Hour),
		mkExec("dddd4444-bad", "Invoice downloader", api.StatusFailed, 2*time.Hour),
		mkExec("eeee5555-ask", "Supplier portal checker", api.StatusPausedByAgent, 3*time.Minute),
	}
	execs[2].Result = &api.Result{Outcome: "success", Reasoning: "All invoices downloaded"}
	q := map[string]api.InteractionRequest{
		"bbbb2222-ask": {ExecutionID: "bbbb2222-ask", AgentName: "Insurance quote filler", Question: "Which plan should I pick: Basic or Plus?", AskedAt: t0.Add(-4 * time.Minute)},
		"eeee5555-ask": {ExecutionID: "eeee5555-ask", AgentName: "Supplier portal checker", Question: "Please send the 2FA code.", AskedAt: t0.Add(-2 * time.Minute)},
	}
	return execs, q
}

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// The executions view's areas and the views' names, as tests name them.
const (
	paneAgents = executions.AreaAgents
	paneTable  = executions.AreaTable
	paneFeed   = executions.AreaFeed
	panePrompt = executions.AreaPrompt

	viewExecutions = "executions"
	viewAgents     = "agents"
	viewInbox      = "inbox"
)

// exec is the executions view.
func (h *harness) exec() *executions.View { return h.m.viewNamed(executions.Name).(*executions.View) }

// box is the reply box.
func (h *harness) box() *reply.Box { return h.exec().Reply() }

func (h *harness) focusID() string  { id, _ := h.exec().Following(); return id }
func (h *harness) focusGen() uint64 { _, gen := h.exec().Following(); return gen }
func (h *harness) filter() string   { f, _ := h.exec().Narrowed(); return f }
func (h *harness) agentFilter() string {
	_, a := h.exec().Narrowed()
	return a
}

func (h *harness) viewName() string      { v, _, _ := h.m.state(); return v }
func (h *harness) overlay() pane.Overlay { _, o, _ := h.m.state(); return o }
func (h *harness) lineOpen() bool        { _, _, l := h.m.state(); return l }
