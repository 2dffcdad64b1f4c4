package tui

import (
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/views/executions"
	"github.com/agentop/agentop/tui/internal/views/lists"
	"github.com/agentop/agentop/tui/internal/views/timeline"
)

// registry is every view, in tab order: number keys, [ and ], ":" names and
// their completion, the tabs, help and `agentop keys` all derive from it.
// A new view is one line here (and, for a list, one file in views/lists).
var registry = []pane.Spec{
	executions.Spec,
	lists.Spec(lists.Agents),
	lists.Spec(lists.Profiles),
	lists.Spec(lists.Pools),
	lists.Spec(lists.Inbox),
	lists.Spec(lists.Versions),
	timeline.Spec,
	lists.Spec(lists.Environments),
	lists.Spec(lists.Deployments),
	lists.Spec(lists.Messages),
}

// KeyMap is every action, addressable by field and by name.
type KeyMap = keys.KeyMap

// Action is a named thing a key does; config overrides name actions.
type Action = keys.Action

// Scope is where a binding applies.
type Scope = keys.Scope

// DefaultKeyMap returns the built-in bindings, with a view-… action per
// view of the registry.
func DefaultKeyMap() *KeyMap {
	vk := make([]keys.ViewKey, len(registry))
	for i, s := range registry {
		vk[i] = keys.ViewKey{Name: s.Name, Key: s.Key, Help: s.KeyHelp}
	}
	return keys.Default(vk)
}
