package sim

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

// Triggers: who started an execution.
const (
	TriggerAPI      = "api"
	TriggerSchedule = "schedule"
)

// spec describes an execution to create.
type spec struct {
	agent    *agentState
	at       time.Time
	trigger  string
	metadata map[string]string
	inputs   map[string]any // merged over the playbook's defaults
	profile  *Profile       // nil: none
	version  int            // 0: current
	files    []StagedFile
	options  ExecutionOptions
	auto     bool // a simulated person answers
	compile  compileOptions
}

// create adds an execution and sets its scenario going at s.at.
func (e *Engine) create(s spec) *run {
	r := e.prepare(s)
	e.launch(r)
	return r
}

// prepare builds an execution and writes its scenario, without adding it.
func (e *Engine) prepare(s spec) *run {
	pb := s.agent.pb
	inputs := pb.inputs(e.rng, s.at)
	maps.Copy(inputs, s.inputs)
	v := varsOf(inputs)
	r := &run{agent: s.agent, vars: v, auto: s.auto, x: Execution{
		ID: e.id(), AgentID: s.agent.ID, AgentName: s.agent.Name, AgentVersion: cmp0(s.version, s.agent.Version),
		WorkflowID: s.agent.WorkflowID, OrganizationID: e.org.ID, Status: api.StatusStarting,
		CreatedAt: s.at, UpdatedAt: s.at, Metadata: s.metadata, Inputs: inputs, Options: s.options, Trigger: s.trigger,
	}}
	r.moves = pb.compile(e.rng, s.agent.ID, v, s.compile)
	if p := s.profile; p != nil {
		r.x.ProfileID, r.x.ProfileName = p.ID, p.Name
		e.turns++
		e.used[p.ID] = e.turns
	}
	for _, f := range s.files {
		nf := e.newFile(r, File{Name: f.Name, MimeType: f.MimeType, Size: f.Size, Source: SourceUpload, Directory: "uploads"})
		e.blobs.rename(f.ID, nf.ID)
	}
	return r
}

// launch adds a prepared execution and plans its first move from its
// creation time.
func (e *Engine) launch(r *run) {
	e.runs[r.x.ID] = r
	e.order = append(e.order, r)
	e.scheduleNext(r, r.x.CreatedAt)
	if m := r.x.Options.SoftTimeoutMins; m > 0 {
		e.at(r.x.CreatedAt.Add(time.Duration(m)*time.Minute), func() {
			e.setStatus(r, StatusChange{Status: api.StatusCancelled, Reason: "timeout"})
		})
	}
}

// cmp0 returns v, or def when v is zero.
func cmp0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// ExecuteRequest is api.ExecuteRequest: profile or pool (not both), inputs,
// metadata, staged files, version and options.
type ExecuteRequest = api.ExecuteRequest

// Execute starts an agent, as a client's execute call does, and returns the
// new execution (status starting).
func (e *Engine) Execute(agentID string, req ExecuteRequest) (Execution, error) {
	if req.ProfileID != "" && req.PoolID != "" {
		return Execution{}, invalid("agentProfileId and agentProfilePoolId are mutually exclusive")
	}
	e.lock()
	defer e.mu.Unlock()
	a, err := e.agent(agentID)
	if err != nil {
		return Execution{}, err
	}
	if req.Version < 0 || req.Version > a.Version {
		return Execution{}, invalid("agent %s has no version %d (latest is %d)", a.Name, req.Version, a.Version)
	}
	s := spec{agent: a, at: e.now, trigger: TriggerAPI, metadata: maps.Clone(req.Metadata), inputs: req.Inputs,
		version: req.Version, options: ExecutionOptions{SharedStorageKey: req.SharedStorageKey, SoftTimeoutMins: req.SoftTimeoutMins}}
	switch {
	case req.ProfileID != "":
		if s.profile, err = e.profile(req.ProfileID); err != nil {
			return Execution{}, invalid("agent profile %s not found", req.ProfileID)
		}
	case req.PoolID != "":
		if s.profile, err = e.fromPool(req.PoolID); err != nil {
			return Execution{}, err
		}
	}
	for _, tf := range req.TempFiles {
		f, ok := e.staged[tf.ID]
		if !ok || e.now.Sub(f.CreatedAt) > StagedFileTTL {
			return Execution{}, invalid("temp file %s not found or expired", tf.ID)
		}
		delete(e.staged, tf.ID)
		s.files = append(s.files, f)
	}
	return e.create(s).x.clone(), nil
}

// SetStatus is an operator's pause (paused), resume (running) or cancel
// (cancelled). CheckOperatorTransition says what is allowed.
func (e *Engine) SetStatus(id string, to api.Status) error {
	e.lock()
	defer e.mu.Unlock()
	r, err := e.run(id)
	if err != nil {
		return err
	}
	from := r.x.Status
	if err := CheckOperatorTransition(from, to); err != nil {
		return err
	}
	switch {
	case to == api.StatusCancelled:
		e.setStatus(r, StatusChange{Status: to, Reason: "user_requested"})
	case to == api.StatusPaused:
		// Freeze the scenario: keep what was left of the next move's delay.
		if r.next != nil {
			r.left = r.next.at.Sub(e.now)
			r.next.cancel()
			r.next = nil
		}
		e.setStatus(r, StatusChange{Status: to, Reason: "Paused by the user"})
	case from == api.StatusAwaitingConfirmation:
		e.proceed(r)
	default: // resume from paused
		e.setStatus(r, StatusChange{Status: to})
		if r.left > 0 {
			e.scheduleIn(r, e.now, r.left)
			r.left = 0
		} else {
			e.scheduleNext(r, e.now)
		}
	}
	return nil
}

// SendMessage delivers a person's message to an execution. It shows in the
// feed as user_message_received; an agent waiting in paused_by_agent takes
// it as the answer and resumes (running). Messages are accepted in every
// status but the terminal ones.
func (e *Engine) SendMessage(id, message string) error {
	if strings.TrimSpace(message) == "" {
		return invalid("message is required")
	}
	e.lock()
	defer e.mu.Unlock()
	r, err := e.run(id)
	if err != nil {
		return err
	}
	if r.x.Status.IsTerminal() {
		return invalid("execution is %s; it no longer accepts messages", r.x.Status)
	}
	e.answer(r, message)
	return nil
}

// startBusy starts one execution of the busy scenario.
func (e *Engine) startBusy(at time.Time) {
	r := e.autoStart(at)
	r.keep, r.auto = true, true
}

// autoStart starts an execution the way a schedule would.
func (e *Engine) autoStart(at time.Time) *run {
	a := pick(e.rng, e.agents...)
	return e.create(spec{agent: a, at: at, trigger: TriggerSchedule,
		metadata: map[string]string{"source": "schedule"}, profile: e.defaultProfile(a)})
}

// scheduleStarts starts executions on their own, rate per minute (at speed
// 1), with exponential gaps.
func (e *Engine) scheduleStarts(from time.Time, rate float64) {
	gap := time.Duration(e.rng.ExpFloat64() / rate * float64(time.Minute))
	e.at(from.Add(e.scaled(gap)), func() {
		e.autoStart(e.now)
		e.scheduleStarts(e.now, rate)
	})
}

func (e *Engine) defaultProfile(a *agentState) *Profile {
	i := slices.IndexFunc(e.profiles, func(p *Profile) bool { return p.Name == a.pb.profile })
	if i < 0 {
		return nil
	}
	return e.profiles[i]
}

// Human labels and the comments operators leave, for annotate.
var (
	labelNames = []struct{ name, color string }{
		{"needs-review", "#F59E0B"}, {"portal-down", "#EF4444"}, {"verified", "#10B981"},
		{"month-end", "#3B82F6"}, {"escalated", "#8B5CF6"},
	}
	failureComments = []string{
		"Portal maintenance window 02:00–04:00 UTC; rerun after 05:00.",
		"Raised with the vendor's support (ticket #48213). Don't rerun until they reply.",
		"Known flaky step since the portal redesign; workflow fix is in review.",
	}
	successComments = []string{
		"Spot-checked the output against the source; all good.",
		"Forwarded the result to finance.",
	}
)

// annotate gives an ended execution the labels and comments an operator
// might have added.
func (e *Engine) annotate(r *run) {
	label := func(name string) {
		i := slices.IndexFunc(e.labels, func(l Label) bool { return l.Name == name })
		r.x.Labels = append(r.x.Labels, e.labels[i])
	}
	comment := func(texts []string) {
		r.x.Comments = append(r.x.Comments, Comment{ID: e.id(), UserID: e.user.ID,
			Content: pick(e.rng, texts...), Public: e.rng.IntN(2) == 0, CreatedAt: e.now})
	}
	x := e.rng.Float64()
	switch r.x.Status {
	case api.StatusFailed:
		if x < 0.5 {
			label("needs-review")
		}
		if strings.Contains(r.x.StatusReason, "503") || strings.Contains(r.x.StatusReason, "unavailable") {
			label("portal-down")
		}
		if x < 0.3 {
			comment(failureComments)
		}
	case api.StatusCompleted:
		if r.x.Result != nil && r.x.Result.Outcome != "success" && x < 0.4 {
			label("escalated")
		}
		if x > 0.85 {
			label("verified")
			comment(successComments)
		}
		if strings.Contains(r.agent.Name, "Invoice") && x < 0.3 {
			label("month-end")
		}
	}
}
