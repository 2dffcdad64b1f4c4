// Package prefactorcontract checks agentop against Prefactor's official
// agent SDK: @prefactor/core 0.2.9 from npm (pinned in package.json and
// package-lock.json, installed into node_modules by `npm ci`, which .ci/run
// does) writes a run into the simulator, and agentop's client reads it back.
package prefactorcontract
