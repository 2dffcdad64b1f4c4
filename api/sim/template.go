package sim

import (
	"fmt"
	"strings"
)

// vars are the values a scenario's text is written with: the execution's
// inputs, what the script derived from them, and {answer} once a human has
// replied.
type vars map[string]string

// expand replaces every {name} in s whose name is set in v; anything else
// (unknown names, JSON braces) is kept as written. A value may itself refer
// to others ({account} set to "{answer}"), so expansion repeats a few times.
func (v vars) expand(s string) string {
	for range 3 {
		x := v.expandOnce(s)
		if x == s {
			break
		}
		s = x
	}
	return s
}

func (v vars) expandOnce(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		name := s[i+1 : i+j]
		val, ok := v[name]
		b.WriteString(s[:i])
		if ok {
			b.WriteString(val)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// expandAny expands the strings inside JSON-like values (maps, slices).
func (v vars) expandAny(x any) any {
	switch t := x.(type) {
	case string:
		return v.expand(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = v.expandAny(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = v.expandAny(e)
		}
		return out
	case []string:
		out := make([]string, len(t))
		for i, e := range t {
			out[i] = v.expand(e)
		}
		return out
	}
	return x
}

// varsOf turns inputs into template values.
func varsOf(inputs map[string]any) vars {
	v := make(vars, len(inputs))
	for k, x := range inputs {
		if s, ok := x.(string); ok {
			v[k] = s
		} else {
			v[k] = fmt.Sprint(x)
		}
	}
	return v
}
