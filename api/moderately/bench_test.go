package moderately

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agentop/agentop/api"
)

// liveTailOf is a live-tail answer of n steps, alternating casings.
func liveTailOf(n int) string {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := make([]string, n)
	types := []string{"task", "thought", "code", "observation", "plan", "fact", "system"}
	for i := range steps {
		typ := types[i%len(types)]
		key := typ
		if typ == "fact" {
			key = "facts"
		}
		ts := at.Add(time.Duration(i) * time.Second).Format(time.RFC3339)
		content, _ := json.Marshal(fmt.Sprintf("step %d: %s", i, strings.Repeat("lorem ipsum ", 8)))
		if i%2 == 0 {
			steps[i] = fmt.Sprintf(`{"stepType":%q,%q:%s,"startedAt":%q,"endedAt":%q}`, typ, key, content, ts, ts)
		} else {
			steps[i] = fmt.Sprintf(`{"step_type":%q,%q:%s,"started_at":%q,"ended_at":%q}`, typ, key, content, ts, ts)
		}
	}
	return `{"execution":{"agentExecutionId":"aexec_1","status":"running"},"steps":[` + strings.Join(steps, ",") + `]}`
}

// BenchmarkActivities is one poll of a followed execution's feed (the
// execution and its whole live-tail, over loopback HTTP): the platform has
// no limit, so its cost grows with the steps so far.
func BenchmarkActivities(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		b.Run(fmt.Sprintf("steps=%d", n), func(b *testing.B) {
			f := newFake(b)
			f.json("GET /agent-executions/aexec_1", 200, `{"agentExecutionId":"aexec_1","status":"running","createdAt":"2026-01-01T00:00:00Z"}`)
			f.json("GET /agent-executions/aexec_1/live-tail", 200, liveTailOf(n))
			f.json("GET /agent-configuration-versions", 200, `[]`)
			c, _ := New(Options{BaseURL: f.srv.URL, APIKey: "k", TeamID: "t"})
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				acts, err := c.Activities(ctx, "aexec_1", api.ActivityQuery{Order: api.SortDesc, Limit: 100})
				if err != nil || len(acts) != min(n, 100) {
					b.Fatal(err, len(acts))
				}
			}
		})
	}
}
