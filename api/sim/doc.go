// Package sim is agentop's embedded agent-platform simulator: a fleet of
// agents whose executions browse, reason, download files, ask a human and
// wait, and then succeed or fail, exactly as a real platform's would.
//
// The engine is platform-neutral: it speaks the api model (statuses, activity
// kinds, queries) and knows nothing of HTTP or of any platform's wire format.
// A façade (api/asteroid/asteroidsim) serves it in a platform's format.
//
// Time is an event queue over an injectable Clock. Every method first
// processes the events that have come due, in time order with ties broken by
// the order they were scheduled, so the state depends only on the seed, the
// clock and the calls made — never on when a background goroutine ran. With a
// ManualClock, tests advance time by hand and get the same ids, names and
// activities on every run.
//
// Every exported method is safe for concurrent use. Values returned are
// copies; nested maps and slices inside an Activity are shared and must be
// treated as read-only.
package sim
