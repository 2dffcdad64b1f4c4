package poller

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
)

// fakeBackend is an in-memory platform with call accounting and error
// injection.
type fakeBackend struct {
	mu       sync.Mutex
	execs    map[string]api.Execution
	acts     map[string][]api.Activity // oldest first
	agents   []api.Agent
	calls    map[string]int
	queries  []api.ExecutionQuery
	actLimit []int
	failNext map[string]error // op → error for the next call
	failAll  error            // every call fails while set
	failOps  map[string]error // op → the error of every call while set
	// listHook, when set, may fail a listing (an error) or hang it until
	// the caller gives up (hang).
	listHook func(q api.ExecutionQuery) (hang bool, err error)
}

func newFake() *fakeBackend {
	return &fakeBackend{
		execs:    map[string]api.Execution{},
		acts:     map[string][]api.Activity{},
		calls:    map[string]int{},
		failNext: map[string]error{},
	}
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func (f *fakeBackend) put(id string, st api.Status, age int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.execs[id]
	e.ID, e.Status, e.AgentID, e.AgentName = id, st, "agent-1", "Invoice downloader"
	if e.CreatedAt.IsZero() {
		e.CreatedAt = t0.Add(time.Duration(age) * time.Second)
	}
	if st.IsTerminal() && st == api.StatusCompleted {
		e.Result = &api.Result{Outcome: "success"}
	}
	f.execs[id] = e
}

// hook sets listHook.
func (f *fakeBackend) hook(fn func(q api.ExecutionQuery) (bool, error)) {
	f.mu.Lock()
	f.listHook = fn
	f.mu.Unlock()
}

// touch moves an execution's update time on, as a platform that reports
// one would after any change.
func (f *fakeBackend) touch(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.execs[id]
	e.UpdatedAt = e.UpdatedAt.Add(time.Second)
	if e.UpdatedAt.Before(t0) {
		e.UpdatedAt = t0
	}
	f.execs[id] = e
}

func (f *fakeBackend) addActs(id string, acts ...api.Activity) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range acts {
		a.ExecutionID = id
		if a.Time.IsZero() {
			a.Time = t0.Add(time.Duration(len(f.acts[id])) * time.Second)
		}
		f.acts[id] = append(f.acts[id], a)
	}
}

func (f *fakeBackend) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeBackend) enter(op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	if f.failAll != nil {
		return f.failAll
	}
	if err, ok := f.failOps[op]; ok {
		return err
	}
	if err, ok := f.failNext[op]; ok {
		delete(f.failNext, op)
		return err
	}
	return nil
}

func (f *fakeBackend) Platform() string { return "fake" }
func (f *fakeBackend) Capabilities() api.Capabilities {
	return api.Capabilities{Execute: true, Pause: true, Resume: true, Cancel: true, Reply: true}
}

func (f *fakeBackend) ListAgents(ctx context.Context, q api.AgentQuery) (api.Page[api.Agent], error) {
	if err := f.enter("ListAgents"); err != nil {
		return api.Page[api.Agent]{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return api.Page[api.Agent]{Items: slices.Clone(f.agents), Page: 1, PageSize: 100, Total: len(f.agents)}, nil
}

func (f *fakeBackend) ListExecutions(ctx context.Context, q api.ExecutionQuery) (api.Page[api.Execution], error) {
	if err := f.enter("ListExecutions"); err != nil {
		return api.Page[api.Execution]{}, err
	}
	f.mu.Lock()
	hook := f.listHook
	f.mu.Unlock()
	if hook != nil {
		hang, err := hook(q)
		if hang {
			<-ctx.Done()
			return api.Page[api.Execution]{}, &api.Error{Kind: api.KindTimeout, Message: ctx.Err().Error()}
		}
		if err != nil {
			return api.Page[api.Execution]{}, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, q)
	var all []api.Execution
	for _, e := range f.execs {
		if (len(q.Statuses) == 0 || slices.Contains(q.Statuses, e.Status)) &&
			(q.CreatedAfter.IsZero() || e.CreatedAt.After(q.CreatedAfter)) &&
			(q.CreatedBefore.IsZero() || e.CreatedAt.Before(q.CreatedBefore)) {
			all = append(all, e)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].CreatedAt.After(all[j].CreatedAt) })
	start := (q.Page - 1) * q.PageSize
	end := min(start+q.PageSize, len(all))
	var items []api.Execution
	if start < len(all) {
		items = all[start:end]
	}
	return api.Page[api.Execution]{Items: items, Page: q.Page, PageSize: q.PageSize, Total: len(all)}, nil
}

func (f *fakeBackend) GetExecution(ctx context.Context, id string) (api.Execution, error) {
	if err := f.enter("GetExecution"); err != nil {
		return api.Execution{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.execs[id]
	if !ok {
		return api.Execution{}, &api.Error{Kind: api.KindNotFound, StatusCode: 404}
	}
	return e, nil
}

func (f *fakeBackend) Activities(ctx context.Context, id string, q api.ActivityQuery) ([]api.Activity, error) {
	if err := f.enter("Activities"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actLimit = append(f.actLimit, q.Limit)
	all := slices.Clone(f.acts[id])
	if q.Order == api.SortDesc {
		slices.Reverse(all)
	}
	if q.Limit > 0 && len(all) > q.Limit {
		all = all[:q.Limit]
	}
	return all, nil
}

func (f *fakeBackend) unsupported(op string) error { return api.Unsupported("fake", op) }

func (f *fakeBackend) Execute(context.Context, string, api.ExecuteRequest) (string, error) {
	return "", f.unsupported("execute")
}
func (f *fakeBackend) Pause(context.Context, string) error         { return f.unsupported("pause") }
func (f *fakeBackend) Resume(context.Context, string) error        { return f.unsupported("resume") }
func (f *fakeBackend) Cancel(context.Context, string) error        { return f.unsupported("cancel") }
func (f *fakeBackend) Reply(context.Context, string, string) error { return f.unsupported("reply") }
func (f *fakeBackend) StageFiles(context.Context, string, []api.Upload) ([]api.TempFile, error) {
	return nil, f.unsupported("stage")
}
func (f *fakeBackend) AddFiles(context.Context, string, []api.Upload) error {
	return f.unsupported("add files")
}
func (f *fakeBackend) Files(context.Context, string) ([]api.File, error) {
	return nil, f.unsupported("files")
}
func (f *fakeBackend) Recording(context.Context, string) (string, error) {
	return "", f.unsupported("recording")
}
func (f *fakeBackend) ListProfiles(context.Context, api.ProfileQuery) ([]api.Profile, error) {
	return nil, f.unsupported("profiles")
}
func (f *fakeBackend) GetProfile(context.Context, string) (api.Profile, error) {
	return api.Profile{}, f.unsupported("profile")
}
func (f *fakeBackend) CreateProfile(context.Context, api.ProfileInput) (api.Profile, error) {
	return api.Profile{}, f.unsupported("create profile")
}
func (f *fakeBackend) UpdateProfile(context.Context, string, api.ProfileUpdate) (api.Profile, error) {
	return api.Profile{}, f.unsupported("update profile")
}
func (f *fakeBackend) DeleteProfile(context.Context, string) error {
	return f.unsupported("delete profile")
}
func (f *fakeBackend) ListPools(context.Context, api.PoolQuery) (api.Page[api.ProfilePool], error) {
	return api.Page[api.ProfilePool]{}, f.unsupported("pools")
}
func (f *fakeBackend) GetPool(context.Context, string) (api.ProfilePool, error) {
	return api.ProfilePool{}, f.unsupported("pool")
}
func (f *fakeBackend) UserContext(context.Context) (api.UserContext, error) {
	return api.UserContext{}, f.unsupported("context")
}

var _ api.Backend = (*fakeBackend)(nil)

func act(id string, kind api.ActivityKind, text string) api.Activity {
	return api.Activity{ID: id, Kind: kind, Text: text, Actor: api.ActorAgent}
}

func acts(prefix string, n int) []api.Activity {
	out := make([]api.Activity, n)
	for i := range out {
		out[i] = act(fmt.Sprintf("%s%03d", prefix, i), api.KindGeneric, fmt.Sprintf("line %d", i))
	}
	return out
}
