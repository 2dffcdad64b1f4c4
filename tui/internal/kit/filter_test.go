package kit

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQueryFiltersSubstringFirstNegatesAndTakesFields(t *testing.T) {
	items := []string{"invoice running", "insurance paused", "invoicing failed", "in vo ice completed"}
	status := []string{"running", "paused_by_agent", "failed", "completed"}
	idx := []int{0, 1, 2, 3}
	text := func(i int) string { return items[i] }
	field := func(i int, f string) []string {
		if f == "status" {
			return []string{status[i]}
		}
		return nil
	}
	rows, sub := ParseQuery("ice", "status").Filter(idx, text, field)
	assert.Equal(t, []int{0, 3, 2}[:2], rows[:2], "the substring matches, in order")
	assert.Equal(t, 2, sub)
	assert.Contains(t, rows, 2, "then the fuzzy ones (i…c…e)")

	rows, _ = ParseQuery("!invoic", "status").Filter(idx, text, field)
	assert.Equal(t, []int{1, 3}, rows)

	rows, _ = ParseQuery("status:pau", "status").Filter(idx, text, field)
	assert.Equal(t, []int{1}, rows)
	rows, _ = ParseQuery("!status:running inv", "status").Filter(idx, text, field)
	assert.Equal(t, []int{2, 3}, rows, "a field term and free text together")

	q := ParseQuery("http://x", "status")
	assert.Equal(t, "http://x", q.Text, "an unknown field is free text")
}
