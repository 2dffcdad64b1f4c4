package asteroid

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

var testRSA = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func pkixPEM(t *testing.T) string {
	der, err := x509.MarshalPKIXPublicKey(&testRSA().PublicKey)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func pkcs1PEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&testRSA().PublicKey)}))
}

// decrypt reverses EncryptCredential with the test key.
func decrypt(t *testing.T, data string) string {
	t.Helper()
	ct, err := base64.StdEncoding.DecodeString(data)
	require.NoError(t, err, "standard base64")
	//lint:ignore SA1019 the scheme the API uses
	pt, err := rsa.DecryptPKCS1v15(nil, testRSA(), ct)
	require.NoError(t, err)
	return string(pt)
}

func TestEncryptCredentialRoundTrip(t *testing.T) {
	for name, keyPEM := range map[string]string{"PKIX": pkixPEM(t), "PKCS#1": pkcs1PEM(), "PKIX with blank lines": "\n\n" + pkixPEM(t) + "\n"} {
		t.Run(name, func(t *testing.T) {
			for _, secret := range []string{"hunter2", "pässwörd ✓", strings.Repeat("x", 245), ""} {
				data, err := EncryptCredential(keyPEM, secret)
				require.NoError(t, err)
				assert.Equal(t, secret, decrypt(t, data))
			}
		})
	}
}

func TestEncryptCredentialErrors(t *testing.T) {
	_, err := EncryptCredential(pkixPEM(t), strings.Repeat("s", 246))
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Contains(t, err.Error(), "the secret is 246 bytes; an RSA-2048 key encrypts at most 245")
	assert.NotContains(t, err.Error(), "sss")

	_, err = EncryptCredential("not a pem", "hunter2")
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Contains(t, err.Error(), "not PEM-encoded")

	bogus := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("junk")}))
	_, err = EncryptCredential(bogus, "hunter2")
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.NotContains(t, err.Error(), "hunter2")
}

func TestEncryptCredentialRefusesShortKeys(t *testing.T) {
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&weak.PublicKey)
	require.NoError(t, err)
	for _, keyPEM := range []string{
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&weak.PublicKey)})),
	} {
		_, err = EncryptCredential(keyPEM, "hunter2")
		require.ErrorIs(t, err, api.ErrInvalid)
		assert.Contains(t, err.Error(), "the public key is RSA-1024; refusing to encrypt credentials under a key of fewer than 2048 bits")
	}

	f := newFake(t)
	f.reply("GET /api/v1/credentials/public_key", http.StatusOK, "application/json", strconv.Quote(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))))
	_, err = f.client().CreateProfile(context.Background(), api.ProfileInput{Name: "p", Credentials: []api.Secret{{Name: "pw", Value: "hunter2"}}})
	require.ErrorIs(t, err, api.ErrDecode)
	assert.Contains(t, err.Error(), "RSA-1024")
	for _, r := range f.requests() {
		assert.NotEqual(t, http.MethodPost, r.Method, "nothing is sent under a weak key")
	}
}

func TestProfileReplaysTheDocsExampleWithoutSecrets(t *testing.T) {
	body := fixture(t, "profile.json")
	f := newFake(t)
	f.json("GET /api/v1/agent-profiles/{id}", body)
	f.json("GET /api/v1/agent-profiles", "["+body+"]")
	c := f.client()

	p, err := c.GetProfile(context.Background(), "1b7e…")
	require.NoError(t, err)
	assert.Equal(t, "/api/v1/agent-profiles/1b7e%E2%80%A6", f.last().Path)

	ts := time.Date(2025, 9, 1, 10, 0, 0, 0, time.UTC)
	assert.Equal(t, "1b7e…", p.ID)
	assert.Equal(t, "prod-eu", p.Name)
	assert.Equal(t, "EU residential", p.Description)
	assert.Equal(t, "0f3a…", p.OrganizationID)
	assert.Equal(t, "de", p.ProxyCountry)
	assert.Equal(t, "residential", p.ProxyType)
	assert.True(t, p.CaptchaSolver)
	assert.False(t, p.StickyIP)
	assert.False(t, p.ExtraStealth)
	assert.True(t, p.CreatedAt.Equal(ts))
	assert.True(t, p.UpdatedAt.Equal(time.Date(2025, 9, 2, 10, 0, 0, 0, time.UTC)))
	require.Len(t, p.Credentials, 1)
	assert.Equal(t, "c1…", p.Credentials[0].ID)
	assert.Equal(t, "portal_password", p.Credentials[0].Name)
	require.Len(t, p.Cookies, 1)
	ck := p.Cookies[0]
	assert.Equal(t, api.CookieRef{ID: "k1…", Name: "session", Key: "sid", Domain: ".example.com", Secure: true, HTTPOnly: true, SameSite: "Lax"}, ck)

	// No value of a credential or cookie survives anywhere in the profile.
	dump, err := json.Marshal(p)
	require.NoError(t, err)
	assert.NotContains(t, string(dump), "RSA-PKCS1v15 ciphertext")
	assert.NotContains(t, string(dump), `"…"`)

	list, err := c.ListProfiles(context.Background(), api.ProfileQuery{OrganizationID: "org-7"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"organization_id": {"org-7"}}, f.last().Query)
	assert.Equal(t, []api.Profile{p}, list)
}

func TestListProfilesOrganization(t *testing.T) {
	f := newFake(t)
	f.json("GET /api/v1/agent-profiles", `[]`)
	got, err := f.client().ListProfiles(context.Background(), api.ProfileQuery{})
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Equal(t, url.Values{"organization_id": {testOrg}}, f.last().Query)

	_, err = f.client(func(o *Options) { o.OrganizationID = "" }).ListProfiles(context.Background(), api.ProfileQuery{})
	require.NoError(t, err)
	assert.Empty(t, f.last().Query, "no organization: every organization the key can see")
}

// publicKeyRoute serves the test key as the API does, JSON-quoted or plain.
func publicKeyRoute(f *fakeAPI, keyPEM string, quoted bool) {
	body, ctype := keyPEM, "text/plain"
	if quoted {
		body, ctype = strconv.Quote(keyPEM), "application/json"
	}
	f.reply("GET /api/v1/credentials/public_key", http.StatusOK, ctype, body)
}

func TestCreateProfileEncryptsCredentials(t *testing.T) {
	for _, quoted := range []bool{true, false} {
		t.Run("public key quoted="+strconv.FormatBool(quoted), func(t *testing.T) {
			f := newFake(t)
			publicKeyRoute(f, pkixPEM(t), quoted)
			f.reply("POST /api/v1/agent-profiles", http.StatusCreated, "application/json", fixture(t, "profile.json"))

			p, err := f.client().CreateProfile(context.Background(), api.ProfileInput{
				Name: "prod-eu", Description: "EU residential", ProxyCountry: "de", ProxyType: "residential",
				CaptchaSolver: true, ExtraStealth: true,
				Credentials: []api.Secret{{Name: "portal_password", Value: "hunter2-plaintext"}, {Name: "pin", Value: "4711"}},
				Cookies:     []api.CookieInput{{Name: "session", Key: "sid", Value: "cookie-v", Domain: ".example.com", Secure: true, SameSite: "Lax"}},
			})
			require.NoError(t, err)
			assert.Equal(t, "prod-eu", p.Name)

			req := f.last()
			assert.Equal(t, "/api/v1/agent-profiles", req.Path)
			assert.NotContains(t, string(req.Body), "hunter2-plaintext")
			assert.NotContains(t, string(req.Body), "4711")
			var sent struct {
				Name           string `json:"name"`
				OrganizationID string `json:"organization_id"`
				ProxyCC        string `json:"proxy_cc"`
				Captcha        bool   `json:"captcha_solver_active"`
				ExtraStealth   *bool  `json:"extra_stealth"`
				Credentials    []struct {
					Name string `json:"name"`
					Data string `json:"data"`
				} `json:"credentials"`
				Cookies []map[string]any `json:"cookies"`
			}
			require.NoError(t, json.Unmarshal(req.Body, &sent))
			assert.Equal(t, "prod-eu", sent.Name)
			assert.Equal(t, testOrg, sent.OrganizationID)
			assert.Equal(t, "de", sent.ProxyCC)
			assert.True(t, sent.Captcha)
			require.NotNil(t, sent.ExtraStealth)
			assert.True(t, *sent.ExtraStealth)
			require.Len(t, sent.Credentials, 2)
			assert.Equal(t, "portal_password", sent.Credentials[0].Name)
			assert.Equal(t, "hunter2-plaintext", decrypt(t, sent.Credentials[0].Data))
			assert.Equal(t, "4711", decrypt(t, sent.Credentials[1].Data))
			require.Len(t, sent.Cookies, 1)
			assert.Equal(t, "cookie-v", sent.Cookies[0]["value"], "cookies are stored as given")
		})
	}
}

func TestCreateProfileWithoutCredentialsSkipsTheKey(t *testing.T) {
	f := newFake(t)
	f.reply("POST /api/v1/agent-profiles", http.StatusCreated, "application/json", `{"id":"p1","name":"bare"}`)
	_, err := f.client().CreateProfile(context.Background(), api.ProfileInput{Name: "bare", OrganizationID: "org-3"})
	require.NoError(t, err)
	reqs := f.requests()
	require.Len(t, reqs, 1, "no public key fetch")
	var sent map[string]any
	require.NoError(t, json.Unmarshal(reqs[0].Body, &sent))
	assert.Equal(t, []any{}, sent["credentials"], "required lists are sent empty, not null")
	assert.Equal(t, []any{}, sent["cookies"])
	assert.Equal(t, "org-3", sent["organization_id"])
}

func TestCreateProfileRefusals(t *testing.T) {
	f := newFake(t)
	publicKeyRoute(f, pkcs1PEM(), true)
	c := f.client()

	_, err := c.CreateProfile(context.Background(), api.ProfileInput{Name: " "})
	require.ErrorIs(t, err, api.ErrInvalid)

	_, err = c.CreateProfile(context.Background(), api.ProfileInput{Name: "p", Credentials: []api.Secret{{Name: "", Value: "x"}}})
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Empty(t, f.requests())

	long := strings.Repeat("z", 300)
	_, err = c.CreateProfile(context.Background(), api.ProfileInput{Name: "p", Credentials: []api.Secret{{Name: "cert", Value: long}}})
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Contains(t, err.Error(), `encrypt credential "cert"`)
	assert.Contains(t, err.Error(), "at most 245")
	assert.NotContains(t, err.Error(), "zzz")
	for _, r := range f.requests() {
		assert.NotEqual(t, http.MethodPost, r.Method, "nothing is created when a secret cannot be encrypted")
	}
}

func TestCreateProfileWithAnUnusableServerKey(t *testing.T) {
	f := newFake(t)
	f.reply("GET /api/v1/credentials/public_key", http.StatusOK, "application/json", `"-----BEGIN NOTHING-----"`)
	_, err := f.client().CreateProfile(context.Background(), api.ProfileInput{Name: "p", Credentials: []api.Secret{{Name: "pw", Value: "hunter2"}}})
	require.ErrorIs(t, err, api.ErrDecode)
	assert.Contains(t, err.Error(), "GET /api/v1/credentials/public_key")
	assert.NotContains(t, err.Error(), "hunter2")
}

func TestUpdateProfileEncryptsAddedCredentials(t *testing.T) {
	f := newFake(t)
	publicKeyRoute(f, pkcs1PEM(), false)
	f.json("PATCH /api/v1/agent-profiles/{id}", `{"id":"p1","name":"renamed","credentials":[{"id":"c9","name":"otp","data":"Y2lwaGVy"}]}`)

	name, sticky := "renamed", true
	p, err := f.client().UpdateProfile(context.Background(), "p1", api.ProfileUpdate{
		Name:              &name,
		StickyIP:          &sticky,
		AddCredentials:    []api.Secret{{Name: "otp", Value: "JBSWY3DPEHPK3PXP"}},
		DeleteCredentials: []string{"c1"},
		AddCookies:        []api.CookieInput{{Name: "s", Key: "sid", Value: "v", Domain: "x.com", SameSite: "Strict"}},
		DeleteCookies:     []string{"k1"},
	})
	require.NoError(t, err)
	assert.Equal(t, []api.CredentialRef{{ID: "c9", Name: "otp"}}, p.Credentials)

	req := f.last()
	assert.Equal(t, http.MethodPatch, req.Method)
	assert.Equal(t, "/api/v1/agent-profiles/p1", req.Path)
	assert.NotContains(t, string(req.Body), "JBSWY3DPEHPK3PXP")
	var sent map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(req.Body, &sent))
	assert.ElementsMatch(t, []string{"name", "sticky_ip", "credentials_to_add", "credentials_to_delete", "cookies_to_add", "cookies_to_delete"}, keys(sent),
		"only what changes is sent")
	var added []struct{ Name, Data string }
	require.NoError(t, json.Unmarshal(sent["credentials_to_add"], &added))
	require.Len(t, added, 1)
	assert.Equal(t, "otp", added[0].Name)
	assert.Equal(t, "JBSWY3DPEHPK3PXP", decrypt(t, added[0].Data))
}

func TestUpdateProfileWithoutSecretsSkipsTheKey(t *testing.T) {
	f := newFake(t)
	f.json("PATCH /api/v1/agent-profiles/{id}", `{"id":"p1"}`)
	desc := ""
	_, err := f.client().UpdateProfile(context.Background(), "p1", api.ProfileUpdate{Description: &desc})
	require.NoError(t, err)
	require.Len(t, f.requests(), 1)
	assert.JSONEq(t, `{"description":""}`, string(f.last().Body))
}

func TestDeleteProfile(t *testing.T) {
	f := newFake(t)
	f.json("DELETE /api/v1/agent-profiles/{id}", `{"message":"Agent profile deleted"}`)
	require.NoError(t, f.client().DeleteProfile(context.Background(), "p1"))
	assert.Equal(t, http.MethodDelete, f.last().Method)

	g := newFake(t)
	g.reply("DELETE /api/v1/agent-profiles/{id}", http.StatusNotFound, "application/json", `{"error":"Agent profile not found"}`)
	err := g.client().DeleteProfile(context.Background(), "p1")
	require.ErrorIs(t, err, api.ErrNotFound)
	assert.Equal(t, "DELETE /api/v1/agent-profiles/{id}: not found (HTTP 404): Agent profile not found", err.Error())
}

func keys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
