package asteroidsim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// query reads typed query parameters, keeping the first error.
type query struct {
	v   url.Values
	err error
}

func newQuery(r *http.Request) *query { return &query{v: r.URL.Query()} }

func (q *query) str(name string) string { return strings.TrimSpace(q.v.Get(name)) }

func (q *query) int(name string) int {
	s := q.str(name)
	if s == "" || q.err != nil {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		q.err = invalidf("%s must be a non-negative integer, not %q", name, s)
	}
	return n
}

func (q *query) time(name string) time.Time {
	s := q.str(name)
	if s == "" || q.err != nil {
		return time.Time{}
	}
	t, err := wire.ParseTime(s)
	if err != nil {
		q.err = invalidf("%s must be an RFC 3339 date-time, not %q", name, s)
	}
	return t
}

func (q *query) dir(name string) api.SortDirection {
	d := api.SortDirection(strings.ToLower(q.str(name)))
	if d != "" && d != api.SortAsc && d != api.SortDesc && q.err == nil {
		q.err = invalidf("%s must be asc or desc", name)
	}
	return d
}

// list returns every value of a repeated parameter.
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.v[name] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// maxBody bounds a JSON request body.
const maxBody = 1 << 20

// decode reads a JSON body into v.
func decode(r *http.Request, v any) error {
	err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(v)
	if errors.Is(err, io.EOF) {
		return invalidf("request body is required")
	}
	if err != nil {
		return invalidf("request body is not valid JSON: %v", err)
	}
	return nil
}
