package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/tui/theme"
)

// File is the content of config.yaml. Zero fields were not set.
//
//	current-context: prod
//	contexts:
//	  prod:
//	    platform: asteroid                 # the default; agentop sim --help lists the platforms
//	    base-url: https://odyssey.asteroid.ai
//	    organization-id: 3f1c…
//	    api-key-env: ASTEROID_PROD_KEY      # or api-key-command, or api-key
//	    read-only: true
//	theme: dusk
//	notify: osc9
//	read-only: false
//	keys:
//	  reply: [r, R]
//	feed-limit: 5000
//	all-contexts: true                     # every context at once (agentop -A)
//	commands:                              # on the selected execution (see Command)
//	  browse: {key: B, run: [open, "{{.URL}}"], safe: true}
//	filters:                               # :waiting applies it
//	  waiting: "status:paused"
type File struct {
	CurrentContext string
	Contexts       map[string]Context
	Theme          string
	Notify         string
	ReadOnly       *bool
	Keys           map[string][]string
	FeedLimit      int
	AllContexts    *bool             // open every context at once (the fleet)
	Commands       []Command         // custom commands on the selected execution
	Filters        map[string]string // saved filters: ":name" applies one
}

// Context is one platform account: where it is and how to authenticate.
// At most one of APIKeyEnv, APIKeyCommand and APIKey is set.
type Context struct {
	Platform       string
	BaseURL        string
	OrganizationID string
	APIKeyEnv      string // name of the environment variable holding the key
	APIKeyCommand  string // shell command printing the key, e.g. "pass show asteroid/prod"
	APIKey         string // the key itself (discouraged: warned about when the file is readable by others)
	ReadOnly       *bool
	Insecure       *bool
	// Extra holds the platform's own settings by name ("team-id"), each a
	// key of the same name in the file.
	Extra map[string]string
}

// literalKey reports whether any context holds a literal key.
func (f *File) literalKey() bool {
	for _, c := range f.Contexts {
		if c.APIKey != "" {
			return true
		}
	}
	return false
}

// FileError is a problem in the config file, with the line it is on.
type FileError struct {
	Path string
	Line int // 0 when unknown
	Msg  string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return e.Path + ": " + e.Msg
}

// Notification modes accepted by notify.
var notifyModes = []string{"bell", "osc9", "osc777", "none"}

// Parse reads a config file's content. Unknown keys, values of the wrong type,
// duplicate keys, unknown themes and notify modes are errors that name the
// line, and so is a second YAML document (after a "---"), which would
// otherwise be ignored. Key names are checked by the dashboard, which owns
// them.
func Parse(path string, data []byte) (*File, error) {
	p := parser{path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := dec.Decode(&doc); {
	case errors.Is(err, io.EOF):
		return &File{}, nil // an empty file
	case err != nil:
		return nil, syntaxError(path, err)
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, syntaxError(path, err)
		}
		if !isEmpty(next) {
			return nil, &FileError{Path: path, Line: next.Line,
				Msg: `a second YAML document starts here; agentop reads only the first: merge the two or remove the "---"`}
		}
	}
	f := &File{}
	if isEmpty(doc) {
		return f, nil // only comments
	}
	root := deref(doc.Content[0])
	err := p.mapping(root, "", fields{
		"current-context": p.str(&f.CurrentContext),
		"contexts":        p.contexts(&f.Contexts),
		"theme":           p.oneOf(&f.Theme, theme.Names()),
		"notify":          p.oneOf(&f.Notify, notifyModes),
		"read-only":       p.boolPtr(&f.ReadOnly),
		"keys":            p.keys(&f.Keys),
		"feed-limit":      p.positive(&f.FeedLimit),
		"all-contexts":    p.boolPtr(&f.AllContexts),
		"commands":        p.commands(&f.Commands),
		"filters":         p.filters(&f.Filters),
	})
	if err != nil {
		return nil, err
	}
	if f.CurrentContext != "" {
		if _, ok := f.Contexts[f.CurrentContext]; !ok {
			return nil, &FileError{Path: path, Line: p.lines["current-context"],
				Msg: fmt.Sprintf("current-context %q is not one of the contexts%s", f.CurrentContext, known(f.Contexts))}
		}
	}
	return f, nil
}

// isEmpty reports whether a document node holds nothing but comments.
func isEmpty(doc yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	root := deref(doc.Content[0])
	return root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null"
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml syntax error into a FileError with its line.
func syntaxError(path string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &FileError{Path: path, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &FileError{Path: path, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// known lists the names of m for an error message.
func known[V any](m map[string]V) string {
	if len(m) == 0 {
		return " (none are defined)"
	}
	return " (" + strings.Join(sortedKeys(m), ", ") + ")"
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// parser decodes yaml nodes into File fields, keeping line numbers for
// errors.
type parser struct {
	path  string
	lines map[string]int // line of each top-level key seen
}

// fields maps the keys a mapping may hold to the decoder of each value.
type fields map[string]func(key string, v *yaml.Node) error

func (p *parser) errf(n *yaml.Node, format string, args ...any) error {
	return &FileError{Path: p.path, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// mapping decodes node, a mapping whose keys must all be in fs. prefix is the
// dotted path of the mapping in error messages ("" at the top level).
func (p *parser) mapping(node *yaml.Node, prefix string, fs fields) error {
	where := "the file"
	if prefix != "" {
		where = prefix
	}
	if node.Kind != yaml.MappingNode {
		return p.errf(node, "%s must be a mapping of key: value", where)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], deref(node.Content[i+1])
		name := k.Value
		if line, dup := seen[name]; dup {
			return p.errf(k, "%s is set twice (first on line %d)", dotted(prefix, name), line)
		}
		seen[name] = k.Line
		decode, ok := fs[name]
		if !ok {
			return p.errf(k, "unknown key %q in %s (known keys: %s)", name, where, strings.Join(sortedKeys(fs), ", "))
		}
		if prefix == "" {
			if p.lines == nil {
				p.lines = map[string]int{}
			}
			p.lines[name] = k.Line
		}
		if err := decode(dotted(prefix, name), v); err != nil {
			return err
		}
	}
	return nil
}

func dotted(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// scalar returns v's text when it is a scalar of one of the tags.
func (p *parser) scalar(key string, v *yaml.Node, want string, tags ...string) (string, error) {
	if v.Kind == yaml.ScalarNode {
		for _, t := range tags {
			if v.ShortTag() == t {
				return v.Value, nil
			}
		}
	}
	return "", p.errf(v, "%s must be %s", key, want)
}

func (p *parser) str(dst *string) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		s, err := p.scalar(key, v, "a string", "!!str")
		*dst = strings.TrimSpace(s)
		return err
	}
}

func (p *parser) oneOf(dst *string, allowed []string) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		s, err := p.scalar(key, v, "one of "+strings.Join(allowed, ", "), "!!str")
		if err != nil {
			return err
		}
		s = strings.ToLower(strings.TrimSpace(s))
		for _, a := range allowed {
			if s == a {
				*dst = s
				return nil
			}
		}
		return p.errf(v, "%s: unknown value %q (want one of %s)", key, v.Value, strings.Join(allowed, ", "))
	}
}

func (p *parser) boolPtr(dst **bool) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		if _, err := p.scalar(key, v, "true or false", "!!bool"); err != nil {
			return err
		}
		var b bool
		if err := v.Decode(&b); err != nil {
			return p.errf(v, "%s must be true or false", key)
		}
		*dst = &b
		return nil
	}
}

func (p *parser) positive(dst *int) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		var n int
		if _, err := p.scalar(key, v, "a whole number", "!!int"); err != nil {
			return err
		}
		if err := v.Decode(&n); err != nil || n <= 0 {
			return p.errf(v, "%s must be a positive whole number", key)
		}
		*dst = n
		return nil
	}
}

// keys decodes action → keys; one key may be given as a plain string.
func (p *parser) keys(dst *map[string][]string) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		if v.Kind != yaml.MappingNode {
			return p.errf(v, "%s must map action names to lists of keys, e.g. reply: [r]", key)
		}
		out := map[string][]string{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], deref(v.Content[i+1])
			action := dotted(key, k.Value)
			if _, dup := out[k.Value]; dup {
				return p.errf(k, "%s is set twice", action)
			}
			var list []string
			switch val.Kind {
			case yaml.ScalarNode:
				s, err := p.scalar(action, val, "a key or a list of keys", "!!str", "!!int")
				if err != nil {
					return err
				}
				list = []string{s}
			case yaml.SequenceNode:
				for _, item := range val.Content {
					s, err := p.scalar(action, deref(item), "a list of keys", "!!str", "!!int")
					if err != nil {
						return err
					}
					list = append(list, s)
				}
			default:
				return p.errf(val, "%s must be a key or a list of keys", action)
			}
			out[k.Value] = list
		}
		*dst = out
		return nil
	}
}

// contexts decodes the contexts mapping: name → context settings.
func (p *parser) contexts(dst *map[string]Context) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		if v.Kind != yaml.MappingNode {
			return p.errf(v, "%s must map context names to their settings", key)
		}
		out := map[string]Context{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], deref(v.Content[i+1])
			name := strings.TrimSpace(k.Value)
			if name == "" {
				return p.errf(k, "a context needs a name")
			}
			if _, dup := out[name]; dup {
				return p.errf(k, "context %q is defined twice", name)
			}
			var c Context
			prefix := dotted(key, name)
			fs := fields{
				"platform":        p.oneOf(&c.Platform, platform.Names()),
				"base-url":        p.str(&c.BaseURL),
				"organization-id": p.str(&c.OrganizationID),
				"api-key-env":     p.str(&c.APIKeyEnv),
				"api-key-command": p.str(&c.APIKeyCommand),
				"api-key":         p.str(&c.APIKey),
				"read-only":       p.boolPtr(&c.ReadOnly),
				"insecure":        p.boolPtr(&c.Insecure),
			}
			for _, name := range extraSettings() {
				fs[name] = p.extra(&c.Extra, name)
			}
			err := p.mapping(val, prefix, fs)
			if err != nil {
				return err
			}
			if n := countSet(c.APIKeyEnv, c.APIKeyCommand, c.APIKey); n > 1 {
				return p.errf(k, "context %q: set only one of api-key-env, api-key-command and api-key", name)
			}
			out[name] = c
		}
		*dst = out
		return nil
	}
}

// extra decodes one platform-specific setting into m[name].
func (p *parser) extra(m *map[string]string, name string) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		var s string
		if err := p.str(&s)(key, v); err != nil {
			return err
		}
		if *m == nil {
			*m = map[string]string{}
		}
		(*m)[name] = s
		return nil
	}
}

// extraSettings lists the file keys of every platform's own settings,
// once each: the setting's name, or for a secret one NAME-env, which names
// the environment variable holding it (a secret is never in the file).
func extraSettings() []string {
	var out []string
	for _, s := range platform.All() {
		for _, x := range s.Extra {
			if k := ExtraFileKey(x); !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// ExtraFileKey is the context key of a platform setting in the file.
func ExtraFileKey(x platform.Setting) string {
	if x.Secret {
		return x.Name + "-env"
	}
	return x.Name
}

func countSet(vals ...string) int {
	n := 0
	for _, v := range vals {
		if v != "" {
			n++
		}
	}
	return n
}
