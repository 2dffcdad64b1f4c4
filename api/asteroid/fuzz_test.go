package asteroid_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid"
	"github.com/agentop/agentop/api/internal/fuzzhttp"
)

// The client's decoders fuzzed through its public methods, with the
// response served by an in-memory transport (no network: thousands of
// inputs a second). Seeds (testdata/fuzz/…) are the recorded wire examples
// of api/asteroid/testdata and shared/reference/asteroid-api.md §1.5 and §5.
// Run one longer with
//
//	go test ./api/asteroid -run '^$' -fuzz '^FuzzExecutionResponse$' -fuzztime 5m

const fuzzKey = "sk-live-4f3c2b1a0e9d8c7b"

func fuzzClient(t *testing.T, rt fuzzhttp.Canned) *asteroid.Client {
	t.Helper()
	c, err := asteroid.New(asteroid.Options{
		BaseURL: "http://127.0.0.1:1", APIKey: fuzzKey, OrganizationID: "org",
		HTTPClient: rt.Client(), Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzExecutionResponse: any 200 body of GET /executions/{id} and of GET
// /executions decodes to an execution (or a page of them) or a decode error;
// a listing never loses an item that is an object.
func FuzzExecutionResponse(f *testing.F) {
	f.Add([]byte(`{"id":"e1","agentId":"a1","status":"paused_by_agent","createdAt":"2025-12-10T12:00:00Z"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzClient(t, fuzzhttp.Canned{Status: 200, Body: body})
		ctx := context.Background()
		_, err := c.GetExecution(ctx, "e1")
		fuzzhttp.CheckErr(t, err, fuzzKey)
		p, err := c.ListExecutions(ctx, api.ExecutionQuery{})
		fuzzhttp.CheckErr(t, err, fuzzKey)
		if err == nil && len(p.Items) > 0 && p.Items[0].ID == "" && p.Items[0].Raw == nil {
			t.Fatalf("an item with neither id nor raw JSON: %+v", p.Items[0])
		}
	})
}

// FuzzActivitiesResponse: any 200 body of GET /executions/{id}/activities
// gives activities (an unreadable item still yields one) or a decode error.
func FuzzActivitiesResponse(f *testing.F) {
	f.Add([]byte(`[{"id":"a","executionId":"e","timestamp":"2025-12-10T12:00:05Z","payload":{"activityType":"generic","message":"m"}}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzClient(t, fuzzhttp.Canned{Status: 200, Body: body})
		acts, err := c.Activities(context.Background(), "e1", api.ActivityQuery{Order: api.SortDesc, Limit: 50})
		fuzzhttp.CheckErr(t, err, fuzzKey)
		for _, a := range acts {
			if a.Kind == "" {
				t.Fatalf("an activity without a kind: %+v", a)
			}
		}
		if err == nil {
			_ = api.DeriveInteraction(api.Execution{ID: "e1", Status: api.StatusPausedByAgent}, acts, time.Now())
		}
	})
}

// FuzzListingResponse: any 200 body of the paged listings (agents, pools)
// and of the v1 profiles and the bare-string answers decodes or fails with
// a decode error.
func FuzzListingResponse(f *testing.F) {
	f.Add([]byte(`{"items":[{"id":"a1","name":"n"}],"page":1,"pageSize":50,"total":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzClient(t, fuzzhttp.Canned{Status: 200, Body: body})
		ctx := context.Background()
		_, err := c.ListAgents(ctx, api.AgentQuery{})
		fuzzhttp.CheckErr(t, err, fuzzKey)
		_, err = c.ListPools(ctx, api.PoolQuery{})
		fuzzhttp.CheckErr(t, err, fuzzKey)
		_, err = c.ListProfiles(ctx, api.ProfileQuery{})
		fuzzhttp.CheckErr(t, err, fuzzKey)
		_, err = c.GetProfile(ctx, "p1")
		fuzzhttp.CheckErr(t, err, fuzzKey)
		_, err = c.UserContext(ctx)
		fuzzhttp.CheckErr(t, err, fuzzKey)
		fuzzhttp.CheckErr(t, c.Reply(ctx, "e1", "hello"), fuzzKey)
		_, err = c.Files(ctx, "e1")
		fuzzhttp.CheckErr(t, err, fuzzKey)
	})
}

// FuzzErrorResponse: a non-2xx answer of any status, content type, Retry-After
// and body — with the key planted in it plainly, JSON-escaped or split by
// markup — is an *api.Error of one line, at most 300 runes of server message,
// a bounded Retry-After, and never the key.
func FuzzErrorResponse(f *testing.F) {
	f.Add(uint16(401), "application/json", []byte(`{"code":401,"message":"bad key `), uint8(0), []byte(`"}`), "")
	f.Fuzz(func(t *testing.T, status uint16, contentType string, before []byte, mode uint8, after []byte, retry string) {
		code := 300 + int(status)%300
		body := fuzzhttp.ErrorBody(before, fuzzKey, mode, after)
		h := http.Header{"Content-Type": {contentType}}
		if retry != "" {
			h.Set("Retry-After", retry)
		}
		c := fuzzClient(t, fuzzhttp.Canned{Status: code, Header: h, Body: body})
		_, err := c.GetExecution(context.Background(), "e1")
		fuzzhttp.ErrorAnswer(t, code, err, fuzzKey)
		if err == nil {
			return
		}
		var ae *api.Error
		errors.As(err, &ae)
		if n := utf8.RuneCountInString(ae.Message); n > 300 {
			t.Fatalf("a message of %d runes", n)
		}
		if ae.RetryAfter < 0 || ae.RetryAfter > 24*time.Hour {
			t.Fatalf("Retry-After %s", ae.RetryAfter)
		}
	})
}
