package cli

import (
	"strings"
)

// parseKV reads repeated KEY=VALUE flags into a map. A missing "=", an empty
// key or a key given twice is a usage error naming the flag.
func parseKV(flag string, pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(pairs))
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		k = strings.TrimSpace(k)
		switch {
		case !ok:
			return nil, usageErrorf("%s %q: want KEY=VALUE", flag, p)
		case k == "":
			return nil, usageErrorf("%s %q: the key is empty", flag, p)
		}
		if _, dup := out[k]; dup {
			return nil, usageErrorf("%s: %q is given twice", flag, k)
		}
		out[k] = v
	}
	return out, nil
}
