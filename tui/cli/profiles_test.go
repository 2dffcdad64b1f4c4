package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// credentials decrypts the stored credentials of a simulated profile.
func (f *fleet) credentials(t *testing.T, id string) map[string]string {
	t.Helper()
	p, err := f.e.Profile(id)
	require.NoError(t, err)
	out := map[string]string{}
	for _, c := range p.Credentials {
		v, err := f.e.DecryptCredential(c.Data)
		require.NoError(t, err)
		out[c.Name] = v
	}
	return out
}

func TestProfilesListAndGet(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}

	var list []ProfileOutput
	decode(t, i.run(t, "profiles", "list", "-o", "json"), &list)
	require.Len(t, list, 6)
	var withCreds ProfileOutput
	for _, p := range list {
		assert.NotEmpty(t, p.ID)
		assert.NotNil(t, p.Credentials)
		assert.NotNil(t, p.Cookies)
		if len(p.Credentials) > 0 && withCreds.ID == "" {
			withCreds = p
		}
	}
	require.NotEmpty(t, withCreds.ID)

	var got ProfileOutput
	decode(t, i.run(t, "profiles", "get", withCreds.ID, "-o", "json"), &got)
	assert.Equal(t, withCreds.Name, got.Name)
	r := i.run(t, "profiles", "get", withCreds.ID, "-o", "json")
	assert.NotContains(t, r.out, `"data"`, "no ciphertext")
	assert.NotContains(t, r.out, `"value"`, "no values")

	r = i.run(t, "profiles", "get", withCreds.ID)
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `(?m)^\s+`+withCreds.Credentials[0].Name+` •••$`, r.out)
	assert.Regexp(t, `(?m)^Captcha solver:\s+(yes|no)$`, r.out)

	r = i.run(t, "profiles", "list")
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `^ID\s+NAME\s+PROXY\s+CREDENTIALS\s+UPDATED\s+DESCRIPTION\n`, r.out)

	r = i.run(t, "profiles", "get", "00000000-0000-4000-8000-000000000000")
	assert.Equal(t, exitNotFound, r.code, r)
}

func TestProfilesCreateUpdateDelete(t *testing.T) {
	f := newFleet(t)
	env := f.env(t)
	env["BILLING_PW"] = "pw-from-env-111"
	secretFile := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(secretFile, []byte("token-from-file-222\n"), 0o600))
	tty := &fakeTerm{stdin: true, secrets: []string{"typed-secret-333"}}

	r := inv{env: env, stdin: "otp-from-stdin-444\n", term: tty}.run(t, "profiles", "create",
		"--name", "billing", "--description", "Billing portal", "--proxy-country", "us", "--proxy-type", "residential",
		"--sticky-ip", "--credential", "password=env:BILLING_PW", "--credential", "token=file:"+secretFile,
		"--credential", "otp=-", "--credential", "pin", "-o", "json")
	var p ProfileOutput
	decode(t, r, &p)
	assert.Equal(t, "billing", p.Name)
	assert.Equal(t, "us", p.ProxyCountry)
	assert.True(t, p.StickyIP)
	assert.False(t, p.CaptchaSolver)
	assert.Len(t, p.Credentials, 4)
	assert.Equal(t, map[string]string{
		"password": "pw-from-env-111", "token": "token-from-file-222", "otp": "otp-from-stdin-444", "pin": "typed-secret-333",
	}, f.credentials(t, p.ID), "values arrive encrypted and intact")
	assert.Contains(t, r.err, "Value of credential pin (not shown): ")
	for _, v := range []string{"pw-from-env-111", "token-from-file-222", "otp-from-stdin-444", "typed-secret-333"} {
		assert.NotContains(t, r.out+r.err, v)
	}

	// Update: settings, add and delete credentials by name.
	env["NEW_PW"] = "rotated-555"
	r = inv{env: env}.run(t, "profiles", "update", p.ID, "--sticky-ip=false", "--captcha-solver",
		"--delete-credential", "password", "--credential", "password2=env:NEW_PW")
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `(?m)^Sticky IP:\s+no$`, r.out)
	assert.Regexp(t, `(?m)^Captcha solver:\s+yes$`, r.out)
	assert.Contains(t, r.out, "password2 •••")
	assert.NotContains(t, r.out, "rotated-555")
	creds := f.credentials(t, p.ID)
	assert.NotContains(t, creds, "password")
	assert.Equal(t, "rotated-555", creds["password2"])
	var updated ProfileOutput
	decode(t, inv{env: env}.run(t, "profiles", "update", p.ID, "--description", "renamed", "-o", "json"), &updated)
	assert.Equal(t, "renamed", updated.Description)
	assert.Len(t, updated.Credentials, 4)

	// Delete: confirmation like cancel.
	r = inv{env: env}.run(t, "profiles", "delete", p.ID)
	assert.Equal(t, exitUsage, r.code, r)
	r = inv{env: env, term: &fakeTerm{stdin: true}, stdin: "no\n"}.run(t, "profiles", "delete", p.ID)
	assert.Equal(t, exitError, r.code, r)
	assert.Contains(t, r.err, "Delete profile billing ("+p.ID+") and its 4 credential(s)? [y/N] ")
	var out ActionOutput
	decode(t, inv{env: env, term: &fakeTerm{stdin: true}, stdin: "yes\n"}.run(t, "profiles", "delete", p.ID, "-o", "json"), &out)
	assert.Equal(t, ActionOutput{Action: "delete", Target: "profile", ID: p.ID}, out)
	_, err := f.e.Profile(p.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
}

func TestCredentialValuesNeverFromTheCommandLine(t *testing.T) {
	f := newFleet(t)
	env := f.env(t)
	cases := map[string][]string{
		"literal":          {"--credential", "password=hunter2-literal"},
		"empty name":       {"--credential", "=env:X"},
		"unset variable":   {"--credential", "password=env:NOT_SET"},
		"missing file":     {"--credential", "password=file:/nonexistent/pw"},
		"no terminal":      {"--credential", "password"},
		"two stdins":       {"--credential", "a=-", "--credential", "b=-"},
		"duplicate":        {"--credential", "a=env:HOME", "--credential", "a=env:HOME"},
		"empty from stdin": {"--credential", "a=-"},
	}
	for name, flags := range cases {
		t.Run(name, func(t *testing.T) {
			r := inv{env: env, stdin: "\n"}.run(t, append([]string{"profiles", "create", "--name", "x"}, flags...)...)
			assert.Equal(t, exitUsage, r.code, r)
			assert.NotContains(t, r.err, "hunter2-literal")
			assert.Equal(t, 1, strings.Count(r.err, "\n"), r.err)
		})
	}
	r := inv{env: env}.run(t, "profiles", "create", "--credential", "a=env:HOME")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "--name is required")
	r = inv{env: env}.run(t, "profiles", "update", "x")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "nothing to change")
	profiles, err := f.e.Profiles("")
	require.NoError(t, err)
	assert.Len(t, profiles, 6, "nothing was created")
}
