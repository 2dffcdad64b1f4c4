package prefactor

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Redact returns span JSON with every sensitive value removed. Prefactor
// wraps one as {"$sensitive": …, "labels": [...], "value": …}; the wrapper
// becomes the text "[sensitive]" (with its labels, "[sensitive: pii,
// email]"), so neither the value nor the wrapper is ever rendered. JSON that
// cannot be read is replaced by null rather than passed on unexamined.
func Redact(raw json.RawMessage) json.RawMessage {
	if !bytes.Contains(raw, []byte(`"$sensitive"`)) && !bytes.Contains(raw, []byte(`\u0024sensitive`)) {
		return raw
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return json.RawMessage("null")
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return json.RawMessage("null")
	}
	return out
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["$sensitive"]; ok {
			return sensitiveMark(x["labels"])
		}
		for k, e := range x {
			x[k] = redactValue(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = redactValue(e)
		}
		return x
	}
	return v
}

func sensitiveMark(labels any) string {
	var names []string
	if l, ok := labels.([]any); ok {
		for _, e := range l {
			if s, ok := e.(string); ok && strings.TrimSpace(s) != "" {
				names = append(names, strings.Join(strings.Fields(s), " "))
			}
		}
	}
	if len(names) == 0 {
		return "[sensitive]"
	}
	return "[sensitive: " + strings.Join(names, ", ") + "]"
}
