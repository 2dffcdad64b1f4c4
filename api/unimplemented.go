package api

import "context"

// Unimplemented answers every Backend method but Platform and Capabilities
// with an *Error of kind KindUnsupported. An adapter embeds it and writes
// only what its platform has:
//
//	type Client struct {
//		api.Unimplemented
//		…
//	}
//
// Name is the platform's short name, used in the errors.
type Unimplemented struct{ Name string }

func (u Unimplemented) unsupported(op string) error { return Unsupported(u.Name, op) }

// ListAgents is unsupported.
func (u Unimplemented) ListAgents(context.Context, AgentQuery) (Page[Agent], error) {
	return Page[Agent]{}, u.unsupported("list agents")
}

// ListExecutions is unsupported.
func (u Unimplemented) ListExecutions(context.Context, ExecutionQuery) (Page[Execution], error) {
	return Page[Execution]{}, u.unsupported("list executions")
}

// GetExecution is unsupported.
func (u Unimplemented) GetExecution(context.Context, string) (Execution, error) {
	return Execution{}, u.unsupported("get execution")
}

// Activities is unsupported.
func (u Unimplemented) Activities(context.Context, string, ActivityQuery) ([]Activity, error) {
	return nil, u.unsupported("list activities")
}

// Execute is unsupported.
func (u Unimplemented) Execute(context.Context, string, ExecuteRequest) (string, error) {
	return "", u.unsupported("execute")
}

// Pause is unsupported.
func (u Unimplemented) Pause(context.Context, string) error { return u.unsupported("pause execution") }

// Resume is unsupported.
func (u Unimplemented) Resume(context.Context, string) error {
	return u.unsupported("resume execution")
}

// Cancel is unsupported.
func (u Unimplemented) Cancel(context.Context, string) error {
	return u.unsupported("cancel execution")
}

// Reply is unsupported.
func (u Unimplemented) Reply(context.Context, string, string) error {
	return u.unsupported("send a message")
}

// StageFiles is unsupported.
func (u Unimplemented) StageFiles(context.Context, string, []Upload) ([]TempFile, error) {
	return nil, u.unsupported("upload files")
}

// AddFiles is unsupported.
func (u Unimplemented) AddFiles(context.Context, string, []Upload) error {
	return u.unsupported("upload files")
}

// Files is unsupported.
func (u Unimplemented) Files(context.Context, string) ([]File, error) {
	return nil, u.unsupported("list files")
}

// Recording is unsupported.
func (u Unimplemented) Recording(context.Context, string) (string, error) {
	return "", u.unsupported("get the recording")
}

// ListProfiles is unsupported.
func (u Unimplemented) ListProfiles(context.Context, ProfileQuery) ([]Profile, error) {
	return nil, u.unsupported("list profiles")
}

// GetProfile is unsupported.
func (u Unimplemented) GetProfile(context.Context, string) (Profile, error) {
	return Profile{}, u.unsupported("get profile")
}

// CreateProfile is unsupported.
func (u Unimplemented) CreateProfile(context.Context, ProfileInput) (Profile, error) {
	return Profile{}, u.unsupported("create profile")
}

// UpdateProfile is unsupported.
func (u Unimplemented) UpdateProfile(context.Context, string, ProfileUpdate) (Profile, error) {
	return Profile{}, u.unsupported("update profile")
}

// DeleteProfile is unsupported.
func (u Unimplemented) DeleteProfile(context.Context, string) error {
	return u.unsupported("delete profile")
}

// ListPools is unsupported.
func (u Unimplemented) ListPools(context.Context, PoolQuery) (Page[ProfilePool], error) {
	return Page[ProfilePool]{}, u.unsupported("list pools")
}

// GetPool is unsupported.
func (u Unimplemented) GetPool(context.Context, string) (ProfilePool, error) {
	return ProfilePool{}, u.unsupported("get pool")
}

// UserContext is unsupported.
func (u Unimplemented) UserContext(context.Context) (UserContext, error) {
	return UserContext{}, u.unsupported("read the user context")
}
