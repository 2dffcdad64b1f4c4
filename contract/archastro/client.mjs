// Drives the official @archastro/sdk, unmodified, against the ArchAstro
// simulator at $ARCHASTRO_BASE_URL with $ARCHASTRO_API_KEY, and prints one
// JSON object of what it saw (contract_test.go checks it).
import { PlatformClient } from "@archastro/sdk";

const base = process.env.ARCHASTRO_BASE_URL;
const key = process.env.ARCHASTRO_API_KEY;
const c = PlatformClient.withSecretKey(key, base);
const out = {};

const all = await c.v1.agent_sessions.list({ limit: 100 });
out.listed = all.data.length;
const waitingList = await c.v1.agent_sessions.list({ status: ["waiting"], excludeSystem: true, limit: 100 });
out.waitingStatuses = waitingList.data.map((s) => s.status);
const waiting = waitingList.data[0];
out.waitingId = waiting.id;

const got = await c.v1.agent_sessions.get(waiting.id);
out.gotStatus = got.status;

const replied = await c.v1.agent_sessions.message(waiting.id, { content: "Use 424242", role: "user" });
out.repliedStatus = replied.status;
out.inboxLast = replied.inbox[replied.inbox.length - 1].content;

const agents = await c.v1.agents.list({ page: 1, pageSize: 100 });
out.agents = agents.data.length;
out.totalEntries = agents.total_entries;

const created = await c.v1.agent_sessions.create({ agent: agents.data[0].id, instructions: "Summarise", name: "from the sdk", metadata: { k: "v" } });
out.createdStatus = created.status;
out.createdName = created.name;
const cancelled = await c.v1.agent_sessions.cancel(created.id);
out.cancelledStatus = cancelled.status;
const again = await c.v1.agent_sessions.cancel(created.id);
out.cancelledAgain = again.status;

const feed = await c.v1.activity_feed.list({ limit: 5 });
out.feed = (feed.data ?? feed.entries).length;
const older = await c.v1.activity_feed.list({ limit: 5, beforeCursor: feed.before_cursor });
out.olderFirst = (older.data ?? older.entries)[0].id;
out.feedFirst = (feed.data ?? feed.entries)[0].id;

const runs = await c.v1.agent_routine_runs.list({ limit: 100 });
out.runStatuses = [...new Set(runs.data.map((r) => r.status))].sort();
const run = await c.v1.agent_routines.agent_routine_runs.get(runs.data[0].id);
out.runId = run.id === runs.data[0].id;
const journal = await c.v1.agent_routines.agent_routine_runs.journal(runs.data[0].id, { limit: 100 });
out.journal = journal.data.length;

out.stream = [];
for await (const ev of c.v1.agent_sessions.stream(created.id)) {
  out.stream.push(ev.event + ":" + ev.data.status);
}

try {
  await c.v1.agents.get("agi_missing");
  out.notFound = "no error";
} catch (e) {
  out.notFound = `${e.constructor.name} ${e.status} ${e.errorCode ?? e.code}`;
}

console.log(JSON.stringify(out));
