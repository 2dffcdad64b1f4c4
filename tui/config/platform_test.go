package config

import (
	"testing"

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
	assert.ErrorContains(t, err, `unknown platform "nope": the platforms are asteroid, prefactor (from --platform)`)

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
