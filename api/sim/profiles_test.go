package sim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// encrypt does what a client does with the engine's public key.
func encrypt(t *testing.T, e *Engine, plaintext string) string {
	t.Helper()
	block, _ := pem.Decode([]byte(e.PublicKeyPEM()))
	require.NotNil(t, block)
	assert.Equal(t, "PUBLIC KEY", block.Type)
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	//lint:ignore SA1019 the protocol's encryption (reference §2.7)
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, pub.(*rsa.PublicKey), []byte(plaintext))
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(ct)
}

func TestProfileCredentialsMustDecrypt(t *testing.T) {
	e, _ := quiet(t)
	good := encrypt(t, e, "hunter2")
	p, err := e.CreateProfile(ProfileInput{Name: "new-profile", ProxyCountry: "fr", ProxyType: "mobile",
		Credentials: []Credential{{Name: "portal", Data: good}},
		Cookies:     []Cookie{{Name: "s", Key: "sid", Value: "x", Domain: ".example.com", SameSite: "Lax"}}})
	require.NoError(t, err)
	assert.Equal(t, e.Organization().ID, p.OrganizationID)
	require.Len(t, p.Credentials, 1)
	assert.Equal(t, good, p.Credentials[0].Data, "stored as the ciphertext it came as")
	plain, err := e.DecryptCredential(p.Credentials[0].Data)
	require.NoError(t, err)
	assert.Equal(t, "hunter2", plain)

	for name, data := range map[string]string{
		"not base64":     "%%%",
		"plaintext":      base64.StdEncoding.EncodeToString([]byte("hunter2")),
		"some other key": base64.StdEncoding.EncodeToString(make([]byte, 256)),
	} {
		_, err := e.CreateProfile(ProfileInput{Name: "x-" + name, Credentials: []Credential{{Name: "c", Data: data}}})
		assert.ErrorIs(t, err, api.ErrInvalid, name)
		_, err = e.UpdateProfile(p.ID, ProfileUpdate{AddCredentials: []Credential{{Name: "c", Data: data}}})
		assert.ErrorIs(t, err, api.ErrInvalid, name)
	}

	_, err = e.CreateProfile(ProfileInput{Name: "NEW-PROFILE"})
	assert.ErrorIs(t, err, api.ErrInvalid, "names are unique")
	_, err = e.CreateProfile(ProfileInput{Name: "y", ProxyCountry: "xx"})
	assert.ErrorIs(t, err, api.ErrInvalid)
	_, err = e.CreateProfile(ProfileInput{Name: "y", OrganizationID: "other"})
	assert.ErrorIs(t, err, api.ErrForbidden)

	name, sticky := "renamed", true
	p, err = e.UpdateProfile(p.ID, ProfileUpdate{Name: &name, StickyIP: &sticky,
		AddCredentials: []Credential{{Name: "second", Data: encrypt(t, e, "pw2")}}, DeleteCredentials: []string{p.Credentials[0].ID},
		DeleteCookies: []string{p.Cookies[0].ID}})
	require.NoError(t, err)
	assert.Equal(t, "renamed", p.Name)
	assert.True(t, p.StickyIP)
	require.Len(t, p.Credentials, 1)
	assert.Equal(t, "second", p.Credentials[0].Name)
	assert.Empty(t, p.Cookies)

	require.NoError(t, e.DeleteProfile(p.ID))
	_, err = e.Profile(p.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.ErrorIs(t, e.DeleteProfile(p.ID), api.ErrNotFound)
}

func TestSeedProfilesHoldDecryptableCredentials(t *testing.T) {
	e, _ := quiet(t)
	profiles, err := e.Profiles(e.Organization().ID)
	require.NoError(t, err)
	require.NotEmpty(t, profiles)
	n := 0
	for _, p := range profiles {
		for _, c := range p.Credentials {
			_, err := e.DecryptCredential(c.Data)
			require.NoError(t, err)
			n++
		}
	}
	assert.NotZero(t, n)
	_, err = e.Profiles("someone-else")
	assert.ErrorIs(t, err, api.ErrForbidden)
}

func TestPools(t *testing.T) {
	e, _ := quiet(t)
	page, err := e.Pools(api.PoolQuery{Search: "EU"})
	require.NoError(t, err)
	require.Equal(t, 1, page.Total)
	assert.Equal(t, DefaultPoolPageSize, page.PageSize)
	eu := page.Items[0]
	assert.Equal(t, LeastRecentlyUsed, eu.SelectionStrategy)

	// Least recently used rotates through the pool's profiles.
	var got []string
	for range 2 * len(eu.ProfileIDs) {
		x, err := e.Execute(e.agents[0].ID, ExecuteRequest{PoolID: eu.ID})
		require.NoError(t, err)
		got = append(got, x.ProfileID)
	}
	assert.ElementsMatch(t, append(eu.ProfileIDs, eu.ProfileIDs...), got)
	assert.NotEqual(t, got[0], got[1])

	p, err := e.CreatePool(PoolInput{Name: "night-shift"})
	require.NoError(t, err)
	assert.Equal(t, LeastRecentlyUsed, p.SelectionStrategy)
	_, err = e.CreatePool(PoolInput{Name: "Night-Shift"})
	assert.ErrorIs(t, err, api.ErrInvalid)
	_, err = e.CreatePool(PoolInput{Name: "z", SelectionStrategy: "random"})
	assert.ErrorIs(t, err, api.ErrInvalid)
	mru, yes := MostRecentlyUsed, true
	p, err = e.UpdatePool(p.ID, PoolUpdate{SelectionStrategy: &mru, AllowConcurrentUse: &yes})
	require.NoError(t, err)
	assert.Equal(t, MostRecentlyUsed, p.SelectionStrategy)
	assert.True(t, p.AllowConcurrentUse)
	got1, err := e.Pool(p.ID)
	require.NoError(t, err)
	assert.Equal(t, p, got1)
	_, err = e.Execute(e.agents[0].ID, ExecuteRequest{PoolID: p.ID})
	assert.ErrorIs(t, err, api.ErrInvalid, "an empty pool has nothing to draw")

	sorted, err := e.Pools(api.PoolQuery{SortField: "name", SortDirection: api.SortAsc})
	require.NoError(t, err)
	assert.Equal(t, "eu-finance", sorted.Items[0].Name)
	_, err = e.Pools(api.PoolQuery{SortField: "size"})
	assert.ErrorIs(t, err, api.ErrInvalid)
}

func TestParseScenario(t *testing.T) {
	for in, want := range map[string]Scenario{
		"":          {Kind: ScenarioDemo},
		"demo":      {Kind: ScenarioDemo},
		" IDLE ":    {Kind: ScenarioIdle},
		"busy":      {Kind: ScenarioBusy, N: DefaultBusy},
		"busy 20":   {Kind: ScenarioBusy, N: 20},
		"busy=7":    {Kind: ScenarioBusy, N: 7},
		"busy:3":    {Kind: ScenarioBusy, N: 3},
		"flood":     {Kind: ScenarioFlood, N: DefaultFlood},
		"flood 250": {Kind: ScenarioFlood, N: 250},
	} {
		got, err := ParseScenario(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		again, err := ParseScenario(got.String())
		require.NoError(t, err)
		assert.Equal(t, got, again)
	}
	for _, in := range []string{"storm", "busy 0", "busy x", "flood -1", "idle 3", "busy 1 2"} {
		_, err := ParseScenario(in)
		assert.Error(t, err, in)
	}
}
