package config

// Asteroid's variables, the default platform's, as the tests use them.
const (
	EnvAPIKey       = "ASTEROID_API_KEY"
	EnvBaseURL      = "ASTEROID_BASE_URL"
	EnvOrganization = "ASTEROID_ORGANIZATION_ID"
)
