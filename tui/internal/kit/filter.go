package kit

import (
	"sort"
	"strings"
)

// Query is a parsed filter line: free text, negated terms ("!term") and
// field terms ("status:running", "!agent:invoice", "label:urgent").
type Query struct {
	Text   string // the free text, matched as a substring first, then fuzzily
	terms  []term
	fields map[string]bool
}

type term struct {
	field string // "" for the free text
	value string // lower case
	not   bool
}

// ParseQuery splits a filter line into its terms. fields are the field
// names the caller knows; "name:value" with another name is free text.
func ParseQuery(line string, fields ...string) Query {
	q := Query{fields: map[string]bool{}}
	for _, f := range fields {
		q.fields[f] = true
	}
	var free []string
	for _, w := range strings.Fields(line) {
		not := strings.HasPrefix(w, "!") && len(w) > 1
		body := w
		if not {
			body = w[1:]
		}
		if name, value, ok := strings.Cut(body, ":"); ok && q.fields[strings.ToLower(name)] && value != "" {
			q.terms = append(q.terms, term{field: strings.ToLower(name), value: strings.ToLower(value), not: not})
			continue
		}
		if not {
			q.terms = append(q.terms, term{value: strings.ToLower(body), not: true})
			continue
		}
		free = append(free, w)
	}
	q.Text = strings.Join(free, " ")
	return q
}

// Empty reports a query that keeps everything.
func (q Query) Empty() bool { return q.Text == "" && len(q.terms) == 0 }

// Filter keeps the items the query selects: every field and negated term
// must hold (field gives an item's values of a field; a term matches a
// value containing it, case-insensitively), then the free text: items
// containing it come first, then those matching it only fuzzily, each
// group in the items' order. sub is how many substring matches lead (all
// of them when there is no free text). It runs off the event loop.
func (q Query) Filter(items []int, text func(int) string, field func(i int, name string) []string) (rows []int, sub int) {
	kept := items
	if len(q.terms) > 0 {
		kept = make([]int, 0, len(items))
		for _, i := range items {
			if q.holds(i, text, field) {
				kept = append(kept, i)
			}
		}
	}
	if q.Text == "" {
		return kept, len(kept)
	}
	needle := strings.ToLower(q.Text)
	var subs, rest []int
	for _, i := range kept {
		if strings.Contains(strings.ToLower(text(i)), needle) {
			subs = append(subs, i)
		} else {
			rest = append(rest, i)
		}
	}
	fz := FuzzyFilter(q.Text, rest, text)
	return append(subs, fz...), len(subs)
}

func (q Query) holds(i int, text func(int) string, field func(int, string) []string) bool {
	for _, t := range q.terms {
		var found bool
		if t.field == "" {
			found = strings.Contains(strings.ToLower(text(i)), t.value)
		} else {
			for _, v := range field(i, t.field) {
				if strings.Contains(strings.ToLower(v), t.value) {
					found = true
					break
				}
			}
		}
		if found == t.not {
			return false
		}
	}
	return true
}

// SortGroups sorts rows[:sub] and rows[sub:] each by less (stable), so
// that the substring matches stay ahead of the fuzzy ones.
func SortGroups(rows []int, sub int, less func(a, b int) bool) {
	for _, g := range [][]int{rows[:sub], rows[sub:]} {
		sort.SliceStable(g, func(a, b int) bool { return less(g[a], g[b]) })
	}
}
