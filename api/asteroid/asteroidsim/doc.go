// Package asteroidsim serves the simulator engine (api/sim) as the Asteroid
// Agents API: the v2 API under /agents/v2 (camelCase, {code, message}
// errors) and the legacy v1 API under /api/v1 (snake_case, {error} errors),
// in the wire format of api/asteroid/wire, over real HTTP. The official SDKs
// and agentop's own client work against it unchanged.
//
// Start runs it on loopback for the CLI and demo mode; NewHandler gives the
// bare http.Handler for httptest. Faults (errors, rate limits, latency,
// hangs, truncated bodies, reset connections) can be switched on to test
// clients against a misbehaving server. See docs/SIMULATOR.md.
package asteroidsim
