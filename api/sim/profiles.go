package sim

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/agentop/agentop/api"
)

// Known values of profile fields: the one list in package api.
var (
	ProxyCountries = api.ProxyCountries
	ProxyTypes     = api.ProxyTypes
	SameSites      = api.CookieSameSite
)

func publicKeyPEM(key *rsa.PrivateKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", fmt.Errorf("sim: encoding the public key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

// PublicKeyPEM returns the PEM ("PUBLIC KEY", PKIX) of the key clients
// encrypt profile credentials with.
func (e *Engine) PublicKeyPEM() string { return e.pubPEM }

// DecryptCredential decrypts a credential's Data: standard base64 of an
// RSA-PKCS#1 v1.5 ciphertext made with the engine's public key.
func (e *Engine) DecryptCredential(data string) (string, error) {
	ct, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return "", fmt.Errorf("not base64: %w", err)
	}
	//lint:ignore SA1019 deprecated in Go, but PKCS#1 v1.5 is what the platform's SDKs encrypt with (reference §2.7)
	pt, err := rsa.DecryptPKCS1v15(nil, e.key, ct)
	if err != nil {
		return "", errors.New("not encrypted with the server's key")
	}
	return string(pt), nil
}

// Profiles lists the profiles of the organization (all when orgID is empty).
func (e *Engine) Profiles(orgID string) ([]Profile, error) {
	e.lock()
	defer e.mu.Unlock()
	if err := e.checkOrg(orgID); err != nil {
		return nil, err
	}
	out := make([]Profile, len(e.profiles))
	for i, p := range e.profiles {
		out[i] = p.clone()
	}
	return out, nil
}

// Profile returns one profile.
func (e *Engine) Profile(id string) (Profile, error) {
	e.lock()
	defer e.mu.Unlock()
	p, err := e.profile(id)
	if err != nil {
		return Profile{}, err
	}
	return p.clone(), nil
}

func (e *Engine) profile(id string) (*Profile, error) {
	for _, p := range e.profiles {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, notFound("agent profile", id)
}

// CreateProfile stores a new profile. Its credentials must decrypt with the
// engine's key; its name must be new in the organization.
func (e *Engine) CreateProfile(in ProfileInput) (Profile, error) {
	if err := e.checkCredentials(in.Credentials); err != nil {
		return Profile{}, err
	}
	e.lock()
	defer e.mu.Unlock()
	if in.OrganizationID == "" {
		in.OrganizationID = e.org.ID
	}
	if err := e.checkOrg(in.OrganizationID); err != nil {
		return Profile{}, err
	}
	p := &Profile{ID: e.id(), OrganizationID: in.OrganizationID, CreatedAt: e.now, UpdatedAt: e.now}
	up := ProfileUpdate{
		Name: &in.Name, Description: &in.Description, ProxyCountry: &in.ProxyCountry, ProxyType: &in.ProxyType,
		CaptchaSolver: &in.CaptchaSolver, StickyIP: &in.StickyIP, ExtraStealth: &in.ExtraStealth,
		AddCredentials: in.Credentials, AddCookies: in.Cookies,
	}
	if err := e.apply(p, up); err != nil {
		return Profile{}, err
	}
	e.profiles = append(e.profiles, p)
	return p.clone(), nil
}

// UpdateProfile changes a profile.
func (e *Engine) UpdateProfile(id string, up ProfileUpdate) (Profile, error) {
	if err := e.checkCredentials(up.AddCredentials); err != nil {
		return Profile{}, err
	}
	e.lock()
	defer e.mu.Unlock()
	p, err := e.profile(id)
	if err != nil {
		return Profile{}, err
	}
	next := p.clone()
	if err := e.apply(&next, up); err != nil {
		return Profile{}, err
	}
	next.UpdatedAt = e.now
	*p = next
	return p.clone(), nil
}

// DeleteProfile removes a profile (and takes it out of every pool).
func (e *Engine) DeleteProfile(id string) error {
	e.lock()
	defer e.mu.Unlock()
	if _, err := e.profile(id); err != nil {
		return err
	}
	e.profiles = slices.DeleteFunc(e.profiles, func(p *Profile) bool { return p.ID == id })
	for _, pool := range e.pools {
		pool.ProfileIDs = slices.DeleteFunc(pool.ProfileIDs, func(p string) bool { return p == id })
	}
	return nil
}

// checkCredentials makes sure every credential decrypts. It runs before the
// lock is taken: decryption is the slow part.
func (e *Engine) checkCredentials(creds []Credential) error {
	for _, c := range creds {
		if strings.TrimSpace(c.Name) == "" {
			return invalid("credential name is required")
		}
		if _, err := e.DecryptCredential(c.Data); err != nil {
			return invalid("credential %q cannot be decrypted (%v); encrypt it with the key from GET /credentials/public_key (RSA PKCS#1 v1.5, base64)", c.Name, err)
		}
	}
	return nil
}

// apply validates and applies an update to p (which the caller owns).
func (e *Engine) apply(p *Profile, up ProfileUpdate) error {
	if up.Name != nil {
		name := strings.TrimSpace(*up.Name)
		if name == "" {
			return invalid("name is required")
		}
		for _, o := range e.profiles {
			if o.ID != p.ID && o.OrganizationID == p.OrganizationID && strings.EqualFold(o.Name, name) {
				return invalid("an agent profile named %q already exists", name)
			}
		}
		p.Name = name
	}
	set := func(dst *string, v *string, allowed []string, field string) error {
		if v == nil {
			return nil
		}
		if *v != "" && !slices.Contains(allowed, *v) {
			return invalid("%s must be one of %s", field, strings.Join(allowed, ", "))
		}
		*dst = *v
		return nil
	}
	if err := set(&p.ProxyCountry, up.ProxyCountry, ProxyCountries, "proxy_cc"); err != nil {
		return err
	}
	if err := set(&p.ProxyType, up.ProxyType, ProxyTypes, "proxy_type"); err != nil {
		return err
	}
	for dst, v := range map[*bool]*bool{&p.CaptchaSolver: up.CaptchaSolver, &p.StickyIP: up.StickyIP, &p.ExtraStealth: up.ExtraStealth} {
		if v != nil {
			*dst = *v
		}
	}
	if up.Description != nil {
		p.Description = *up.Description
	}
	p.Credentials = slices.DeleteFunc(p.Credentials, func(c Credential) bool { return slices.Contains(up.DeleteCredentials, c.ID) })
	p.Cookies = slices.DeleteFunc(p.Cookies, func(c Cookie) bool { return slices.Contains(up.DeleteCookies, c.ID) })
	for _, c := range up.AddCredentials {
		p.Credentials = append(p.Credentials, Credential{ID: e.id(), Name: c.Name, Data: c.Data, CreatedAt: e.now})
	}
	for _, c := range up.AddCookies {
		if c.SameSite != "" && !slices.Contains(SameSites, c.SameSite) {
			return invalid("same_site must be one of %s", strings.Join(SameSites, ", "))
		}
		c.ID, c.CreatedAt = e.id(), e.now
		p.Cookies = append(p.Cookies, c)
	}
	return nil
}
