package cli

import (
	"context"
	"time"

	"github.com/agentop/agentop/api"
)

// maxBackoff caps the wait after repeated failures.
const maxBackoff = 30 * time.Second

// poll calls step every interval until it reports done, fails with an error
// that retrying cannot fix, or ctx ends (then it returns ctx's error).
// Temporary failures (rate limits, server and network errors, timeouts) are
// reported on stderr and retried with exponential backoff, waiting at least
// as long as the server's Retry-After.
func (a *app) poll(ctx context.Context, interval time.Duration, step func(context.Context) (done bool, err error)) error {
	failures := 0
	for {
		done, err := step(ctx)
		wait := interval
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil && done:
			return nil
		case err == nil:
			failures = 0
		case api.IsTemporary(err):
			failures++
			wait = backoff(interval, failures, api.RetryAfterOf(err))
			a.warnf("%v; retrying in %s", err, wait)
		default:
			return err
		}
		if err := a.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// backoff is the wait after the nth failure in a row: the interval doubled
// per failure up to maxBackoff, and never less than retryAfter.
func backoff(interval time.Duration, failures int, retryAfter time.Duration) time.Duration {
	d := max(interval, time.Second)
	for i := 1; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	return max(min(d, maxBackoff), retryAfter)
}
