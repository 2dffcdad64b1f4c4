package executions

import (
	"maps"
	"slices"
)

// section remembers which saved filter (config `filters:`) the table's
// filter is, like gh-dash's section tabs: the title names it. It is looked
// up again only when the filter text changed (a handful of config entries).
type section struct {
	filter, name string
	looked       bool
}

// sectionName is the saved filter whose text the table's filter is ("" for
// none; the first by name when several share it).
func (v *View) sectionName() string {
	s, f := &v.section, v.rows.filter
	if s.looked && s.filter == f {
		return s.name
	}
	*s = section{filter: f, looked: true}
	if f == "" {
		return ""
	}
	for _, name := range slices.Sorted(maps.Keys(v.ctx.Filters)) {
		if v.ctx.Filters[name] == f {
			s.name = name
			break
		}
	}
	return s.name
}
