package cli

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/agentop/agentop/api"
)

// Resolving what a command is given: an execution by its id or a unique
// start of it (the dashboard shows 8 characters), an agent, profile or pool
// by id or by a name only it has. Candidates come from the platform's own
// filters (the executions' partial id filter, the agents' and pools' name
// search), never from a listing of the whole fleet.

// maxCandidates bounds how many candidates a reference is matched against:
// two pages.
const maxCandidates = 2 * maxPageSize

// maxListed is how many matches an ambiguous reference lists.
const maxListed = 10

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// candidate is something a reference may name.
type candidate struct {
	id, name string
	about    string // for listings: "Bank Statement Exporter, paused_by_agent"
}

// choice says how a reference may match: by id prefix, by name, by name
// prefix.
type choice struct {
	what       string // "execution", "agent"
	idPrefix   bool   // a unique start of an id names it
	namePrefix bool   // a unique start of a name names it
	more       bool   // there were more candidates than were read
}

// orAsGiven is the id a reference resolves to where ids need not be UUIDs:
// when nothing matches it, or the platform cannot be asked, ref itself, so
// that the command's own request says what is wrong (not found: exit 3).
func (a *app) orAsGiven(id string, err error, ref string) (string, error) {
	if err == nil || exitCode(err) == exitUsage {
		return id, err
	}
	a.log.Debug("resolve", "ref", ref, "err", err.Error())
	return ref, nil
}

// choose picks the candidate ref names: the one with that id, else the one
// with that name (case-insensitive), else the one whose id (or name) starts
// with ref. Several matches are a usage error (exit 2) listing them; none is
// not found (exit 3).
func choose(c choice, ref string, cands []candidate) (string, error) {
	var byName, byPrefix []candidate
	for _, k := range cands {
		switch {
		case strings.EqualFold(k.id, ref):
			return k.id, nil
		case k.name != "" && strings.EqualFold(strings.TrimSpace(k.name), ref):
			byName = append(byName, k)
		case c.idPrefix && hasPrefixFold(k.id, ref), c.namePrefix && hasPrefixFold(strings.TrimSpace(k.name), ref):
			byPrefix = append(byPrefix, k)
		}
	}
	found := byName
	if len(found) == 0 {
		found = byPrefix
	}
	switch {
	case len(found) == 1:
		return found[0].id, nil
	case len(found) > 1:
		hint := "give more of it, or the whole ID"
		switch {
		case !c.namePrefix:
			hint = "give more of the id"
		case !c.idPrefix:
			hint = "give more of the name, or the ID"
		}
		return "", withCode(exitUsage, fmt.Errorf("%q names %s%d %ss: %s; %s",
			ref, atLeast(c.more), len(found), c.what, listCandidates(found), hint))
	}
	return "", failed(&api.Error{Kind: api.KindNotFound, Message: "no " + c.what + " has this ID or name"}, "find %s %q", c.what, ref)
}

func atLeast(more bool) string {
	if more {
		return "at least "
	}
	return ""
}

// listCandidates lists matches for an error line (which is sanitised).
func listCandidates(cs []candidate) string {
	parts := make([]string, 0, maxListed+1)
	for i, k := range cs {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d more", len(cs)-maxListed))
			break
		}
		parts = append(parts, joinNonEmpty(" ", k.id, parens(k.about)))
	}
	return strings.Join(parts, ", ")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// emptyRef refuses an empty reference.
func emptyRef(what, ref string) error {
	if strings.TrimSpace(ref) == "" {
		return usageErrorf("the %s is empty: give its ID", what)
	}
	return nil
}

// executionID resolves an execution given by its id or a unique start of it,
// asking the platform for the executions whose id contains ref.
func (a *app) executionID(ctx context.Context, be api.Backend, ref string) (string, error) {
	ref = strings.TrimSuffix(strings.TrimSpace(ref), "…") // as pasted from a shortened display
	if err := emptyRef("execution", ref); err != nil {
		return "", err
	}
	if uuidPattern.MatchString(ref) {
		return ref, nil
	}
	execs, more, err := collectSome(ctx, func(ctx context.Context, at pageAt) (api.Page[api.Execution], error) {
		return be.ListExecutions(ctx, api.ExecutionQuery{Page: at.Page, PageSize: at.Size, Cursor: at.Cursor, ExecutionID: ref,
			SortField: "created_at", SortDirection: api.SortDesc})
	})
	if err != nil {
		return a.orAsGiven("", err, ref)
	}
	cands := make([]candidate, len(execs))
	for i, e := range execs {
		cands[i] = candidate{id: e.ID, about: joinNonEmpty(", ", e.AgentName, string(e.Status))}
	}
	id, err := choose(choice{what: "execution", idPrefix: true, more: more}, ref, cands)
	return a.orAsGiven(id, err, ref)
}

// agentID resolves an agent given by id, by name (case-insensitive), or by
// the unique start of a name, asking the platform for the agents whose name
// contains ref.
func (a *app) agentID(ctx context.Context, be api.Backend, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", usageErrorf("the agent is empty: give its ID or name")
	}
	if uuidPattern.MatchString(ref) {
		return ref, nil
	}
	agents, more, err := collectSome(ctx, func(ctx context.Context, at pageAt) (api.Page[api.Agent], error) {
		return be.ListAgents(ctx, api.AgentQuery{Page: at.Page, PageSize: at.Size, Cursor: at.Cursor, Search: ref, SortField: "name", SortDirection: api.SortAsc})
	})
	if err != nil {
		return "", failed(err, "find agent %q", ref)
	}
	if len(agents) == 0 { // an id that is not a UUID (agi_…) matches no name: look for the id
		if all, _, err := collectSome(ctx, func(ctx context.Context, at pageAt) (api.Page[api.Agent], error) {
			return be.ListAgents(ctx, api.AgentQuery{Page: at.Page, PageSize: at.Size, Cursor: at.Cursor})
		}); err == nil && slices.ContainsFunc(all, func(ag api.Agent) bool { return ag.ID == ref }) {
			return ref, nil
		}
	}
	cands := make([]candidate, len(agents))
	for i, ag := range agents {
		cands[i] = candidate{id: ag.ID, name: ag.Name, about: ag.Name}
	}
	return choose(choice{what: "agent", namePrefix: true, more: more}, ref, cands)
}

// profileID resolves a profile given by id, a unique start of one, or a
// name. Profiles are listed whole: the platform has no filter for them, and
// an organization has few.
func (a *app) profileID(ctx context.Context, be api.Backend, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if err := emptyRef("profile", ref); err != nil {
		return "", err
	}
	if uuidPattern.MatchString(ref) {
		return ref, nil
	}
	profiles, err := be.ListProfiles(ctx, api.ProfileQuery{})
	if err != nil {
		return a.orAsGiven("", err, ref)
	}
	cands := make([]candidate, len(profiles))
	for i, p := range profiles {
		cands[i] = candidate{id: p.ID, name: p.Name, about: p.Name}
	}
	id, err := choose(choice{what: "profile", idPrefix: true, namePrefix: true}, ref, cands)
	return a.orAsGiven(id, err, ref)
}

// poolID resolves a pool given by id or by name, asking the platform for the
// pools whose name contains ref; failing that, by a unique start of an id
// among the first pools.
func (a *app) poolID(ctx context.Context, be api.Backend, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if err := emptyRef("pool", ref); err != nil {
		return "", err
	}
	if uuidPattern.MatchString(ref) {
		return ref, nil
	}
	find := func(search string) ([]candidate, bool, error) {
		pools, more, err := collectSome(ctx, func(ctx context.Context, at pageAt) (api.Page[api.ProfilePool], error) {
			return be.ListPools(ctx, api.PoolQuery{Page: at.Page, PageSize: at.Size, Search: search, SortField: "name", SortDirection: api.SortAsc})
		})
		cands := make([]candidate, len(pools))
		for i, p := range pools {
			cands[i] = candidate{id: p.ID, name: p.Name, about: p.Name}
		}
		return cands, more, failed(err, "find pool %q", ref)
	}
	cands, more, err := find(ref)
	if err == nil && len(cands) == 0 { // no name contains it: perhaps the start of an id
		cands, more, err = find("")
	}
	if err != nil {
		return a.orAsGiven("", err, ref)
	}
	id, err := choose(choice{what: "pool", idPrefix: true, namePrefix: true, more: more}, ref, cands)
	return a.orAsGiven(id, err, ref)
}

// collectSome reads the first two pages of a listing (maxCandidates items),
// and says whether there were more.
func collectSome[T any](ctx context.Context, fetch func(ctx context.Context, at pageAt) (api.Page[T], error)) ([]T, bool, error) {
	var out []T
	at := pageAt{Page: 1, Size: maxPageSize}
	for ; at.Page <= maxCandidates/maxPageSize; at.Page++ {
		p, err := fetch(ctx, at)
		if err != nil {
			return nil, false, err
		}
		out = append(out, p.Items...)
		if !p.HasMore() {
			return out, false, nil
		}
		at.Cursor = p.Next
	}
	return out, true, nil
}
