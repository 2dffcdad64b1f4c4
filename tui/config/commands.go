package config

import (
	"fmt"
	"sort"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// Command is a config-defined command on the selected execution, like a
// k9s plugin:
//
//	commands:
//	  logs:
//	    key: L
//	    run: [sh, -c, "my-log-tool {{.ID}} | less"]
//	    description: the execution's logs
//	    interactive: true   # the dashboard steps aside while it runs
//	    safe: true          # read-only mode keeps it
//
// run is the program and its arguments, each a Go template over the
// execution ({{.ID}}, {{.URL}}, {{.Agent}}, {{.AgentID}}, {{.Status}},
// {{.Context}}); it
// runs without a shell unless it names one itself, so a value from the
// platform is one argument, never code.
type Command struct {
	Name        string
	Key         string
	Run         []string
	Description string
	Interactive bool
	Safe        bool
}

// commands decodes the commands mapping, sorted by name.
func (p *parser) commands(dst *[]Command) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		if v.Kind != yaml.MappingNode {
			return p.errf(v, "%s must map command names to their settings (key, run, description, interactive, safe)", key)
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], deref(v.Content[i+1])
			name := strings.TrimSpace(k.Value)
			where := dotted(key, name)
			if seen[name] {
				return p.errf(k, "%s is set twice", where)
			}
			seen[name] = true
			c := Command{Name: name}
			err := p.mapping(val, where, fields{
				"key":         p.str(&c.Key),
				"run":         p.strings(&c.Run),
				"description": p.str(&c.Description),
				"interactive": p.boolValue(&c.Interactive),
				"safe":        p.boolValue(&c.Safe),
			})
			if err != nil {
				return err
			}
			switch {
			case c.Key == "":
				return p.errf(val, "%s needs a key", where)
			case len(c.Run) == 0:
				return p.errf(val, "%s needs run: the program and its arguments, e.g. run: [open, \"{{.URL}}\"]", where)
			}
			for _, arg := range c.Run {
				if _, err := template.New(name).Option("missingkey=error").Parse(arg); err != nil {
					return p.errf(val, "%s: %v", where, err)
				}
			}
			*dst = append(*dst, c)
		}
		sort.Slice(*dst, func(i, j int) bool { return (*dst)[i].Name < (*dst)[j].Name })
		return nil
	}
}

// filters decodes the saved filters: name → a filter line.
func (p *parser) filters(dst *map[string]string) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		if v.Kind != yaml.MappingNode {
			return p.errf(v, "%s must map names to filter lines, e.g. waiting: \"status:paused\"", key)
		}
		out := map[string]string{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], deref(v.Content[i+1])
			name := strings.ToLower(strings.TrimSpace(k.Value))
			if _, dup := out[name]; dup || name == "" {
				return p.errf(k, "%s is set twice (or empty)", dotted(key, k.Value))
			}
			s, err := p.scalar(dotted(key, name), val, "a filter line", "!!str")
			if err != nil {
				return err
			}
			out[name] = strings.TrimSpace(s)
		}
		*dst = out
		return nil
	}
}

func (p *parser) strings(dst *[]string) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		if v.Kind != yaml.SequenceNode {
			return p.errf(v, "%s must be a list, e.g. [open, \"{{.URL}}\"]", key)
		}
		for _, item := range v.Content {
			s, err := p.scalar(key, deref(item), "a list of strings", "!!str", "!!int")
			if err != nil {
				return err
			}
			*dst = append(*dst, s)
		}
		return nil
	}
}

func (p *parser) boolValue(dst *bool) func(string, *yaml.Node) error {
	return func(key string, v *yaml.Node) error {
		var b *bool
		if err := p.boolPtr(&b)(key, v); err != nil {
			return err
		}
		*dst = *b
		return nil
	}
}

// String is the command as help shows it.
func (c Command) String() string { return fmt.Sprintf("%s (%s)", c.Name, strings.Join(c.Run, " ")) }
