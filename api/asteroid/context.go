package asteroid

import (
	"cmp"
	"context"
	"encoding/json"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// UserContext returns who the API key belongs to and their organizations
// (GET /context). The response's field names are UNCONFIRMED, so it is read
// tolerantly: besides wire.UserContext it understands a nested "user" object
// and memberships listed as "organizationMemberships" or "memberships" with
// organizationId/organizationName or a nested "organization". A shape it
// does not recognise still succeeds, with only Raw set.
func (c *Client) UserContext(ctx context.Context) (api.UserContext, error) {
	var raw json.RawMessage
	if err := c.do(ctx, call{method: "GET", path: "/context"}, &raw); err != nil {
		return api.UserContext{}, err
	}
	return userContextFromJSON(raw), nil
}

// contextBody is every name the context response might use.
type contextBody struct {
	UserID string      `json:"userId"`
	ID     string      `json:"id"`
	Email  wire.String `json:"email"`
	User   struct {
		ID     string      `json:"id"`
		UserID string      `json:"userId"`
		Email  wire.String `json:"email"`
	} `json:"user"`
	Organizations           []membership `json:"organizations"`
	OrganizationMemberships []membership `json:"organizationMemberships"`
	Memberships             []membership `json:"memberships"`
}

// membership is an organization, or a user's membership of one.
type membership struct {
	ID               string      `json:"id"`
	Name             wire.String `json:"name"`
	OrganizationID   string      `json:"organizationId"`
	OrganizationName wire.String `json:"organizationName"`
	Role             wire.String `json:"role"`
	Organization     struct {
		ID   string      `json:"id"`
		Name wire.String `json:"name"`
	} `json:"organization"`
}

func userContextFromJSON(raw json.RawMessage) api.UserContext {
	var b contextBody
	// A field of an unexpected type is skipped and the rest still decoded.
	_ = json.Unmarshal(raw, &b)
	out := api.UserContext{
		UserID: cmp.Or(b.UserID, b.User.UserID, b.User.ID, b.ID),
		Email:  string(cmp.Or(b.Email, b.User.Email)),
		Raw:    raw,
	}
	seen := map[string]bool{}
	for _, list := range [][]membership{b.Organizations, b.OrganizationMemberships, b.Memberships} {
		for _, m := range list {
			org := api.Organization{
				ID:   cmp.Or(m.Organization.ID, m.OrganizationID, m.ID),
				Name: string(cmp.Or(m.Organization.Name, m.OrganizationName, m.Name)),
				Role: string(m.Role),
			}
			if org.ID == "" || seen[org.ID] {
				continue
			}
			seen[org.ID] = true
			out.Organizations = append(out.Organizations, org)
		}
	}
	return out
}
