package config

import (
	"sort"
	"strings"
	"testing"

	"github.com/agentop/agentop/api/platform"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPlatformPrecedence: --platform beats $AGENTOP_PLATFORM, which applies
// only without a context; a context names its own platform; the platform's
// own variables are the ones read.
func TestPlatformPrecedence(t *testing.T) {
	c, err := Load(Flags{Platform: "asteroid"}, MapEnv(map[string]string{"HOME": t.TempDir()}))
	require.NoError(t, err)
	assert.Equal(t, "asteroid", c.Platform.Value)
	assert.Equal(t, SourceFlag, c.Platform.Source)
	assert.Equal(t, "Asteroid", c.Spec.Title)

	c, err = Load(Flags{}, MapEnv(map[string]string{"HOME": t.TempDir(), EnvPlatform: "ASTEROID", EnvAPIKey: "k"}))
	require.NoError(t, err)
	assert.Equal(t, "asteroid", c.Platform.Value, "names are case-insensitive and normalised")
	assert.Equal(t, "$"+EnvPlatform, c.Platform.Origin)
	assert.Equal(t, "$"+EnvAPIKey, c.Key.Origin, "the platform's own key variable")

	_, err = Load(Flags{Platform: "nope"}, MapEnv(map[string]string{"HOME": t.TempDir()}))
	assert.ErrorIs(t, err, ErrConfig)
	assert.ErrorContains(t, err, `unknown platform "nope": the platforms are `+sortedPlatforms()+` (from --platform)`)

	env, _ := writeConfig(t, "current-context: a\ncontexts:\n  a:\n    platform: asteroid\n    api-key-env: A_KEY\n")
	env[EnvPlatform] = "nope"
	c, err = Load(Flags{}, MapEnv(env))
	require.NoError(t, err, "with a context, the context's platform applies")
	assert.Equal(t, "contexts.a.platform", c.Platform.Origin)
}

func TestContextPlatformMustBeKnown(t *testing.T) {
	env, path := writeConfig(t, "contexts:\n  a:\n    platform: mystery\n")
	_, err := Load(Flags{}, MapEnv(env))
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+":3:")
}

// TestArchAstroJWT: the JWT comes from $ARCHASTRO_JWT or from the variable
// a context's jwt-env names; the file never holds it.
func TestArchAstroJWT(t *testing.T) {
	env, _ := writeConfig(t, "current-context: a\ncontexts:\n  a:\n    platform: archastro\n    api-key-env: A_KEY\n    jwt-env: A_JWT\n")
	env["A_KEY"], env["A_JWT"] = "pk_live_1", "eyJ.secret.token"
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, "archastro", c.Platform.Value)
	require.Contains(t, c.Extra, "jwt")
	assert.Equal(t, "eyJ.secret.token", c.Extra["jwt"].Value)
	assert.Equal(t, "contexts.a.jwt-env ($A_JWT)", c.Extra["jwt"].Origin)

	env["ARCHASTRO_JWT"] = "eyJ.from.env"
	c, err = Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, "eyJ.from.env", c.Extra["jwt"].Value)
	assert.Equal(t, "$ARCHASTRO_JWT", c.Extra["jwt"].Origin)

	delete(env, "ARCHASTRO_JWT")
	delete(env, "A_JWT")
	c, err = Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.NotContains(t, c.Extra, "jwt")
	assert.Contains(t, c.Warnings, "contexts.a.jwt-env names $A_JWT, which is not set")

	_, err = Parse("config.yaml", []byte("contexts:\n  a:\n    platform: archastro\n    jwt: eyJ.literal\n"))
	assert.ErrorContains(t, err, `unknown key "jwt"`, "a secret has no literal key in the file")
}

// sortedPlatforms lists the registered platforms as errors name them.
func sortedPlatforms() string {
	names := platform.Names()
	sort.Strings(names)
	return strings.Join(names, ", ")
}
