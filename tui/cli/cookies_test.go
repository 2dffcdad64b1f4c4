package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/sim"
)

// cookie returns the stored cookie of a profile by key.
func (f *fleet) cookie(t *testing.T, profileID, key string) sim.Cookie {
	t.Helper()
	p, err := f.e.Profile(profileID)
	require.NoError(t, err)
	for _, c := range p.Cookies {
		if c.Key == key {
			return c
		}
	}
	t.Fatalf("profile %s has no cookie %s", profileID, key)
	return sim.Cookie{}
}

func TestProfilesCookiesAddAndDelete(t *testing.T) {
	f := newFleet(t)
	env := f.env(t)
	env["PORTAL_SID"] = "sid-from-env-9f8e7d"
	tty := &fakeTerm{stdin: true, secrets: []string{"typed-cookie-1a2b3c"}}

	var p ProfileOutput
	r := inv{env: env, term: tty}.run(t, "profiles", "create", "--name", "portal",
		"--cookie", "key=sid,domain=.portal.example,secure,http-only,same-site=lax,expires=2026-12-31,value=env:PORTAL_SID",
		"--cookie", "name=consent banner,key=consent,domain=portal.example", "-o", "json")
	decode(t, r, &p)
	require.Len(t, p.Cookies, 2)
	assert.Contains(t, r.err, "Value of cookie consent banner (not shown): ")
	sid := f.cookie(t, p.ID, "sid")
	assert.Equal(t, sim.Cookie{ID: sid.ID, Name: "sid", Key: "sid", Value: "sid-from-env-9f8e7d", Domain: ".portal.example",
		Secure: true, HTTPOnly: true, SameSite: "Lax", Expiry: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), CreatedAt: sid.CreatedAt}, sid)
	assert.Equal(t, "typed-cookie-1a2b3c", f.cookie(t, p.ID, "consent").Value)
	for _, v := range []string{"sid-from-env-9f8e7d", "typed-cookie-1a2b3c"} {
		assert.NotContains(t, r.out+r.err, v, "a cookie's value is never shown")
	}

	// Update: add one from a file, delete one by name; the table shows no values.
	valueFile := filepath.Join(t.TempDir(), "cookie")
	require.NoError(t, os.WriteFile(valueFile, []byte("from-file-4d5e6f\n"), 0o600))
	r = inv{env: env}.run(t, "profiles", "update", p.ID, "--delete-cookie", "consent banner",
		"--cookie", "key=cart,domain=shop.example,secure=false,value=file:"+valueFile)
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.out, "Cookies:         2")
	assert.Contains(t, r.out, "cart (cart @ shop.example) "+hidden)
	assert.NotContains(t, r.out, "from-file-4d5e6f")
	assert.Equal(t, "from-file-4d5e6f", f.cookie(t, p.ID, "cart").Value, "read from the file, newline trimmed")
	after, _ := f.e.Profile(p.ID)
	assert.Len(t, after.Cookies, 2)

	r = inv{env: env, stdin: "from-stdin-7a8b9c\n"}.run(t, "profiles", "update", p.ID, "--cookie", "key=lang,domain=portal.example,value=-", "-o", "json")
	require.Equal(t, 0, r.code, r)
	assert.NotContains(t, r.out, "from-stdin-7a8b9c")
	assert.Equal(t, "from-stdin-7a8b9c", f.cookie(t, p.ID, "lang").Value)
}

func TestProfilesCookieFlagsAreChecked(t *testing.T) {
	f := newFleet(t)
	profiles, _ := f.e.Profiles("")
	id := profiles[0].ID
	env := f.env(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--cookie", "key=sid,domain=x.example,value=plain-secret-value"}, "would land in shell history"},
		{[]string{"--cookie", "key=sid,value=env:X"}, "domain= is required"},
		{[]string{"--cookie", "domain=x.example,value=env:X"}, "key= is required"},
		{[]string{"--cookie", "key=sid,domain=x.example,same-site=sometimes,value=env:HOME"}, `same-site="sometimes" is not Strict, Lax or None`},
		{[]string{"--cookie", "key=sid,domain=x.example,expires=soon,value=env:HOME"}, "is not a date"},
		{[]string{"--cookie", "key=sid,domain=x.example,colour=blue,value=env:HOME"}, `unknown attribute "colour"`},
		{[]string{"--cookie", "key=sid,domain=x.example,value=env:UNSET_VAR"}, "$UNSET_VAR is empty or unset"},
		{[]string{"--cookie", "key=sid,domain=x.example"}, "stdin is not a terminal to ask on"},
		{[]string{"--cookie", "key=a,domain=x.example,value=-", "--credential", "pw=-"}, "only one value can be read from stdin"},
		{[]string{"--cookie", "key=a,domain=x.example,value=env:HOME", "--cookie", "key=a,domain=x.example,value=env:HOME"}, "given twice"},
	} {
		r := inv{env: env, stdin: "x\ny\n"}.run(t, append([]string{"profiles", "update", id}, tc.args...)...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", tc.args, r)
		assert.Contains(t, r.err, tc.want, "%v", tc.args)
		assert.NotContains(t, r.err, "plain-secret-value", "a refused value is not echoed")
	}
	after, _ := f.e.Profile(id)
	assert.Equal(t, profiles[0].Cookies, after.Cookies, "nothing changed")
}
