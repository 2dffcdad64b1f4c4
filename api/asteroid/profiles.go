package asteroid

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// Agent profiles live in the v1 API (snake_case). Credential and cookie
// values are never copied out of a response, and plaintext secrets are
// encrypted with the server's public key before they are sent.

// ListProfiles lists agent profiles (GET /api/v1/agent-profiles); without an
// organization, those of every organization the key can see.
func (c *Client) ListProfiles(ctx context.Context, q api.ProfileQuery) ([]api.Profile, error) {
	query := url.Values{}
	setIf(query, "organization_id", c.orgOr(q.OrganizationID))
	r := call{method: "GET", v1: true, path: "/agent-profiles", query: query}
	var items []json.RawMessage
	if err := c.do(ctx, r, &items); err != nil {
		return nil, err
	}
	return decodeItems(ctx, c, r.op(), items, func(p wire.AgentProfile, _ json.RawMessage) api.Profile {
		return profileFromWire(p)
	}), nil
}

// GetProfile fetches one profile (GET /api/v1/agent-profiles/{id}).
func (c *Client) GetProfile(ctx context.Context, id string) (api.Profile, error) {
	return c.profileCall(ctx, call{method: "GET", v1: true, path: "/agent-profiles/{id}", args: []string{id}})
}

// CreateProfile creates a profile (POST /api/v1/agent-profiles), encrypting
// its credentials first.
func (c *Client) CreateProfile(ctx context.Context, in api.ProfileInput) (api.Profile, error) {
	r := call{method: "POST", v1: true, path: "/agent-profiles"}
	if strings.TrimSpace(in.Name) == "" {
		return api.Profile{}, &api.Error{Kind: api.KindInvalid, Op: r.op(), Message: "the profile needs a name"}
	}
	creds, err := c.encryptSecrets(ctx, in.Credentials)
	if err != nil {
		return api.Profile{}, err
	}
	r.body = wire.CreateAgentProfileRequest{
		Name:                in.Name,
		Description:         in.Description,
		OrganizationID:      c.orgOr(in.OrganizationID),
		ProxyCC:             in.ProxyCountry,
		ProxyType:           in.ProxyType,
		CaptchaSolverActive: in.CaptchaSolver,
		StickyIP:            in.StickyIP,
		Credentials:         creds,
		Cookies:             cookiesToWire(in.Cookies),
		ExtraStealth:        &in.ExtraStealth,
	}
	return c.profileCall(ctx, r)
}

// UpdateProfile changes a profile (PATCH /api/v1/agent-profiles/{id}),
// encrypting added credentials first.
func (c *Client) UpdateProfile(ctx context.Context, id string, up api.ProfileUpdate) (api.Profile, error) {
	creds, err := c.encryptSecrets(ctx, up.AddCredentials)
	if err != nil {
		return api.Profile{}, err
	}
	body := wire.UpdateAgentProfileRequest{
		Name:                up.Name,
		Description:         up.Description,
		ProxyCC:             up.ProxyCountry,
		ProxyType:           up.ProxyType,
		CaptchaSolverActive: up.CaptchaSolver,
		StickyIP:            up.StickyIP,
		ExtraStealth:        up.ExtraStealth,
		CredentialsToAdd:    creds, // empty lists are omitted
		CredentialsToDelete: up.DeleteCredentials,
		CookiesToAdd:        cookiesToWire(up.AddCookies),
		CookiesToDelete:     up.DeleteCookies,
	}
	return c.profileCall(ctx, call{method: "PATCH", v1: true, path: "/agent-profiles/{id}", args: []string{id}, body: body})
}

// DeleteProfile deletes a profile (DELETE /api/v1/agent-profiles/{id}).
func (c *Client) DeleteProfile(ctx context.Context, id string) error {
	return c.do(ctx, call{method: "DELETE", v1: true, path: "/agent-profiles/{id}", args: []string{id}}, nil)
}

// profileCall sends r and maps the profile it returns.
func (c *Client) profileCall(ctx context.Context, r call) (api.Profile, error) {
	var p wire.AgentProfile
	if err := c.do(ctx, r, &p); err != nil {
		return api.Profile{}, err
	}
	return profileFromWire(p), nil
}

// encryptSecrets fetches the server's public key
// (GET /api/v1/credentials/public_key) and encrypts each secret under it.
// It returns an empty, non-nil list when there is nothing to encrypt.
func (c *Client) encryptSecrets(ctx context.Context, secrets []api.Secret) ([]wire.Credential, error) {
	out := make([]wire.Credential, 0, len(secrets))
	if len(secrets) == 0 {
		return out, nil
	}
	for _, s := range secrets {
		if strings.TrimSpace(s.Name) == "" {
			return nil, &api.Error{Kind: api.KindInvalid, Op: "encrypt credential", Message: "a credential needs a name"}
		}
	}
	keyCall := call{method: "GET", v1: true, path: "/credentials/public_key"}
	var keyPEM string
	if err := c.do(ctx, keyCall, &keyPEM); err != nil {
		return nil, err
	}
	pub, err := parsePublicKey(keyPEM)
	if err != nil {
		return nil, &api.Error{Kind: api.KindDecode, Op: keyCall.op(), Message: "unusable public key: " + err.Error()}
	}
	for _, s := range secrets {
		data, err := encrypt(fmt.Sprintf("encrypt credential %q", s.Name), pub, s.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, wire.Credential{Name: s.Name, Data: data})
	}
	return out, nil
}

// profileFromWire maps a profile, leaving credential data and cookie values
// behind.
func profileFromWire(p wire.AgentProfile) api.Profile {
	out := api.Profile{
		ID:             string(p.ID),
		Name:           string(p.Name),
		Description:    string(p.Description),
		OrganizationID: string(p.OrganizationID),
		ProxyCountry:   string(p.ProxyCC),
		ProxyType:      string(p.ProxyType),
		CaptchaSolver:  bool(p.CaptchaSolverActive),
		StickyIP:       bool(p.StickyIP),
		ExtraStealth:   bool(p.ExtraStealth),
		CreatedAt:      p.CreatedAt.Time,
		UpdatedAt:      p.UpdatedAt.Time,
	}
	for _, cr := range p.Credentials {
		out.Credentials = append(out.Credentials, api.CredentialRef{ID: string(cr.ID), Name: cr.Name, CreatedAt: cr.CreatedAt.Time})
	}
	for _, ck := range p.Cookies {
		out.Cookies = append(out.Cookies, api.CookieRef{
			ID: string(ck.ID), Name: ck.Name, Key: ck.Key, Domain: ck.Domain,
			Secure: bool(ck.Secure), HTTPOnly: bool(ck.HTTPOnly), SameSite: ck.SameSite, Expiry: ck.Expiry.Time,
		})
	}
	return out
}

// cookiesToWire maps cookies to store; the list is never nil, since create
// requires the field.
func cookiesToWire(in []api.CookieInput) []wire.Cookie {
	out := make([]wire.Cookie, 0, len(in))
	for _, ck := range in {
		out = append(out, wire.Cookie{
			Name: ck.Name, Key: ck.Key, Value: ck.Value, Domain: ck.Domain,
			Secure: wire.Bool(ck.Secure), HTTPOnly: wire.Bool(ck.HTTPOnly), SameSite: ck.SameSite, Expiry: wire.T(ck.Expiry),
		})
	}
	return out
}
