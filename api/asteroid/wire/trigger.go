package wire

// TriggerContext is an execution's triggerContext ([DOCS] 2026): who or
// what started it. Source values other than "api" are UNCONFIRMED; the
// simulator also sends "schedule".
type TriggerContext struct {
	Source String     `json:"source,omitempty"`
	Runner *Runner    `json:"runner,omitempty"`
	APIKey *APIKeyRef `json:"apiKey,omitempty"`
}

// Runner is the user an execution ran for.
type Runner struct {
	Email   String `json:"email,omitempty"`
	UserID  string `json:"userId,omitempty"`
	IsAdmin bool   `json:"isAdmin"`
}

// APIKeyRef names the API key an execution was started with.
type APIKeyRef struct {
	ID   string `json:"id"`
	Name String `json:"name,omitempty"`
}
