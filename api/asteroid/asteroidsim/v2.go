package asteroidsim

import (
	"maps"
	"net/http"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

func (h *handler) listAgents(r *http.Request) (int, any, error) {
	q := newQuery(r)
	aq := api.AgentQuery{OrganizationID: q.str("organizationId"), Page: q.int("page"), PageSize: q.int("pageSize"),
		Search: q.str("searchName"), SortField: q.str("sortField"), SortDirection: q.dir("sortDirection")}
	if q.err != nil {
		return 0, nil, q.err
	}
	p, err := h.e.Agents(aq)
	if api.KindOf(err) == api.KindForbidden {
		return 0, nil, &api.Error{Kind: api.KindNotFound, Message: "Organization not found."}
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, pageOut(p, agentOut), nil
}

func (h *handler) execute(r *http.Request) (int, any, error) {
	var in wire.ExecuteRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	req := sim.ExecuteRequest{ProfileID: in.AgentProfileID, PoolID: in.AgentProfilePoolID, Metadata: in.Metadata}
	if len(in.DynamicData)+len(in.Inputs) > 0 {
		req.Inputs = maps.Clone(in.DynamicData)
		if req.Inputs == nil {
			req.Inputs = map[string]any{}
		}
		maps.Copy(req.Inputs, in.Inputs)
	}
	if in.Version != nil {
		if *in.Version < 1 {
			return 0, nil, invalidf("version must be at least 1")
		}
		req.Version = *in.Version
	}
	if o := in.ExecutionOptions; o != nil {
		req.SharedStorageKey, req.SoftTimeoutMins = o.SharedStorageKey, int(o.SoftTimeoutMins)
	}
	for _, f := range in.TempFiles {
		req.TempFiles = append(req.TempFiles, api.TempFile{ID: string(f.ID), Name: f.Name})
	}
	x, err := h.e.Execute(r.PathValue("agentId"), req)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, wire.ExecuteResponse{ExecutionID: x.ID}, nil
}

func (h *handler) listExecutions(r *http.Request) (int, any, error) {
	q := newQuery(r)
	eq := api.ExecutionQuery{
		OrganizationID: q.str("organizationId"), Page: q.int("page"), PageSize: q.int("pageSize"),
		ExecutionID: q.str("executionId"), AgentID: q.str("agentId"), AgentVersion: q.int("agentVersion"),
		CreatedAfter: q.time("createdAfter"), CreatedBefore: q.time("createdBefore"), LabelIDs: q.list("humanLabels"),
		Outcome: q.str("outcomeLabel"), MetadataKey: q.str("metadataKey"), MetadataValue: q.str("metadataValue"),
		SortField: q.str("sortField"), SortDirection: q.dir("sortDirection"),
	}
	for _, s := range q.list("status") {
		eq.Statuses = append(eq.Statuses, api.Status(s))
	}
	if q.err != nil {
		return 0, nil, q.err
	}
	p, err := h.e.Executions(eq)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, pageOut(p, h.executionOut), nil
}

func (h *handler) getExecution(r *http.Request) (int, any, error) {
	x, err := h.e.Execution(r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, h.executionOut(x), nil
}

func (h *handler) setStatus(r *http.Request) (int, any, error) {
	var in wire.StatusUpdateRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if err := h.e.SetStatus(r.PathValue("id"), api.Status(in.Status)); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.MsgStatusUpdated, nil
}

// activities serves the feed: a bare array, oldest first unless
// order=desc; limit keeps the first n of that order.
func (h *handler) activities(r *http.Request) (int, any, error) {
	q := newQuery(r)
	aq := api.ActivityQuery{Order: q.dir("order"), Limit: q.int("limit")}
	if q.err != nil {
		return 0, nil, q.err
	}
	acts, err := h.e.Activities(r.PathValue("id"), aq)
	if err != nil {
		return 0, nil, err
	}
	out := make([]wire.Activity, len(acts))
	for i, a := range acts {
		if a.File != nil {
			a.File = &h.signed(r, []sim.File{*a.File})[0]
		}
		if out[i], err = h.activityOut(a); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, out, nil
}

func (h *handler) userMessage(r *http.Request) (int, any, error) {
	var in wire.UserMessageRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if err := h.e.SendMessage(r.PathValue("id"), in.Message); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, wire.MsgUserMessageAdded, nil
}

func (h *handler) listPools(r *http.Request) (int, any, error) {
	q := newQuery(r)
	pq := api.PoolQuery{OrganizationID: q.str("organizationId"), Page: q.int("page"), PageSize: q.int("pageSize"),
		Search: q.str("searchName"), SortField: q.str("sortField"), SortDirection: q.dir("sortDirection")}
	if q.err != nil {
		return 0, nil, q.err
	}
	p, err := h.e.Pools(pq)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, pageOut(p, poolOut), nil
}

func (h *handler) createPool(r *http.Request) (int, any, error) {
	var in wire.CreatePoolRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	p, err := h.e.CreatePool(sim.PoolInput{Name: in.Name, OrganizationID: in.OrganizationID,
		AllowConcurrentUse: in.AllowConcurrentUse != nil && *in.AllowConcurrentUse, SelectionStrategy: in.SelectionStrategy})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, poolOut(p), nil
}

func (h *handler) getPool(r *http.Request) (int, any, error) {
	p, err := h.e.Pool(r.PathValue("poolId"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, poolOut(p), nil
}

func (h *handler) updatePool(r *http.Request) (int, any, error) {
	var in wire.UpdatePoolRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	p, err := h.e.UpdatePool(r.PathValue("poolId"), sim.PoolUpdate{Name: in.Name,
		AllowConcurrentUse: in.AllowConcurrentUse, SelectionStrategy: in.SelectionStrategy})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, poolOut(p), nil
}

func (h *handler) context(*http.Request) (int, any, error) {
	u, org := h.e.User(), h.e.Organization()
	return http.StatusOK, wire.UserContext{UserID: u.ID, Email: wire.String(u.Email),
		Organizations: []wire.OrganizationEntry{{ID: org.ID, Name: wire.String(org.Name), Role: wire.String(u.Role)}}}, nil
}
