package api

import (
	"context"
	"strings"
)

// Capabilities declares what a platform's backend can do, so callers (the
// CLI, the dashboard) can hide what it cannot. A method whose capability is
// false returns an *Error of kind KindUnsupported.
type Capabilities struct {
	Execute        bool // start executions
	Pause          bool // operator pause
	Resume         bool // operator resume
	Cancel         bool // cancel an execution
	Reply          bool // answer an agent (send a user message)
	Files          bool // list an execution's files
	UploadFiles    bool // stage files for execute / add files to a running execution
	Recording      bool // a browser recording URL can be fetched
	Profiles       bool // list and read profiles
	ManageProfiles bool // create, update, delete profiles
	Pools          bool // list and read profile pools
	ManagePools    bool // create and update profile pools (PoolManager)
	Download       bool // fetch a file's bytes (FileDownloader)
	UserContext    bool // who-am-I and organizations
	Versions       bool // list agents' configuration versions (Versioner)
	Deployments    bool // list environments and agents' deployments (Deployer)
	// Instructions is set when Execute takes free-text instructions
	// (ExecuteRequest.Instructions) rather than, or as well as, inputs.
	Instructions bool
	// InstructionsOptional is set where instructions may be left out (the
	// run starts from inputs or the agent's defaults instead).
	InstructionsOptional bool
	// CancelReason says whether cancel takes a reason (ReasonCanceler).
	CancelReason Requirement
	// Kinds lists the kinds of run a platform has when it has more than
	// one, each with its own actions; empty means one kind with the
	// actions above.
	Kinds []KindCapabilities
}

// Requirement says whether an argument is taken, and whether it must be given.
type Requirement int

// Requirements.
const (
	NotTaken Requirement = iota
	Optional
	Required
)

// KindCapabilities are the actions one kind of run takes.
type KindCapabilities struct {
	Kind    string // Execution.Kind
	Label   string // for display: "session", "routine run"
	Execute bool
	Pause   bool
	Resume  bool
	Cancel  bool
	Reply   bool
}

// For returns the capabilities that apply to executions of kind: c with the
// per-execution actions (execute, pause, resume, cancel, reply) narrowed to
// what that kind takes. A kind c does not list keeps c's own actions.
func (c Capabilities) For(kind string) Capabilities {
	for _, k := range c.Kinds {
		if k.Kind == kind {
			c.Execute = c.Execute && k.Execute
			c.Pause = c.Pause && k.Pause
			c.Resume = c.Resume && k.Resume
			c.Cancel = c.Cancel && k.Cancel
			c.Reply = c.Reply && k.Reply
			return c
		}
	}
	return c
}

// KindLabel returns the display label of kind, or kind itself.
func (c Capabilities) KindLabel(kind string) string {
	for _, k := range c.Kinds {
		if k.Kind == kind && k.Label != "" {
			return k.Label
		}
	}
	return kind
}

// Mutating reports whether any mutating capability is set.
func (c Capabilities) Mutating() bool {
	return c.Execute || c.Pause || c.Resume || c.Cancel || c.Reply || c.UploadFiles || c.ManageProfiles || c.ManagePools
}

// ReadOnly returns c with every mutating capability removed.
func (c Capabilities) ReadOnly() Capabilities {
	c.Execute, c.Pause, c.Resume, c.Cancel, c.Reply, c.UploadFiles, c.ManageProfiles =
		false, false, false, false, false, false, false
	c.ManagePools = false
	kinds := make([]KindCapabilities, len(c.Kinds))
	for i, k := range c.Kinds {
		kinds[i] = KindCapabilities{Kind: k.Kind, Label: k.Label}
	}
	if len(kinds) == 0 {
		kinds = nil
	}
	c.Kinds = kinds
	return c
}

// List returns the names of the capabilities that are set, for display.
func (c Capabilities) List() []string {
	var out []string
	add := func(ok bool, name string) {
		if ok {
			out = append(out, name)
		}
	}
	add(c.Execute, "execute")
	add(c.Pause, "pause")
	add(c.Resume, "resume")
	add(c.Cancel, "cancel")
	add(c.Reply, "reply")
	add(c.Files, "files")
	add(c.UploadFiles, "upload-files")
	add(c.Recording, "recording")
	add(c.Profiles, "profiles")
	add(c.ManageProfiles, "manage-profiles")
	add(c.Pools, "pools")
	add(c.ManagePools, "manage-pools")
	add(c.Download, "download")
	add(c.UserContext, "user-context")
	add(c.Versions, "versions")
	add(c.Deployments, "deployments")
	return out
}

// String lists the capabilities, comma-separated.
func (c Capabilities) String() string { return strings.Join(c.List(), ",") }

// Backend is one platform's client. Every method honours ctx, returns an
// *Error on failure, and never puts credentials in an error.
type Backend interface {
	// Platform is the platform's short name ("asteroid").
	Platform() string
	// Capabilities tells which methods below do real work.
	Capabilities() Capabilities

	ListAgents(ctx context.Context, q AgentQuery) (Page[Agent], error)

	ListExecutions(ctx context.Context, q ExecutionQuery) (Page[Execution], error)
	GetExecution(ctx context.Context, id string) (Execution, error)
	// Activities returns an execution's feed, ordered as asked.
	Activities(ctx context.Context, id string, q ActivityQuery) ([]Activity, error)

	// Execute starts an agent and returns the new execution's id.
	Execute(ctx context.Context, agentID string, req ExecuteRequest) (string, error)
	Pause(ctx context.Context, id string) error
	Resume(ctx context.Context, id string) error
	Cancel(ctx context.Context, id string) error
	// Reply sends a human's message to the execution: the answer to an
	// agent's question when it is paused_by_agent.
	Reply(ctx context.Context, id, message string) error

	// StageFiles uploads files for a later Execute (ExecuteRequest.TempFiles).
	StageFiles(ctx context.Context, organizationID string, files []Upload) ([]TempFile, error)
	// AddFiles uploads files into a running execution.
	AddFiles(ctx context.Context, id string, files []Upload) error
	// Files lists the execution's files (context files and agent files).
	Files(ctx context.Context, id string) ([]File, error)
	// Recording returns the browser recording URL, once there is one.
	Recording(ctx context.Context, id string) (string, error)

	ListProfiles(ctx context.Context, q ProfileQuery) ([]Profile, error)
	GetProfile(ctx context.Context, id string) (Profile, error)
	CreateProfile(ctx context.Context, in ProfileInput) (Profile, error)
	UpdateProfile(ctx context.Context, id string, up ProfileUpdate) (Profile, error)
	DeleteProfile(ctx context.Context, id string) error

	ListPools(ctx context.Context, q PoolQuery) (Page[ProfilePool], error)
	GetPool(ctx context.Context, id string) (ProfilePool, error)

	// UserContext returns who the credentials belong to.
	UserContext(ctx context.Context) (UserContext, error)
}
