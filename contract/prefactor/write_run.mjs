// An instrumented agent: @prefactor/core 0.2.9 writes one run into the
// Prefactor API at PREFACTOR_API_URL (agentop's simulator in the contract
// test) — register, start, an agent span with an llm child and a failing
// tool child, an approval, then finish. Prints nothing on success.
import { createCore, SpanType, withSpan } from '@prefactor/core';

const apiUrl = process.env.PREFACTOR_API_URL;
const apiToken = process.env.PREFACTOR_API_TOKEN;
if (!apiUrl || !apiToken) {
  console.error('PREFACTOR_API_URL and PREFACTOR_API_TOKEN are required');
  process.exit(2);
}

const core = createCore({
  transportType: 'http',
  httpConfig: {
    apiUrl,
    apiToken,
    agentId: process.env.PREFACTOR_AGENT_ID || 'agent_contract',
    agentIdentifier: 'v2.0.0',
    agentName: 'Contract agent',
    maxRetries: 0,
  },
});
core.agentManager.registerSchema({
  external_identifier: 'schema-contract',
  span_type_schemas: [
    { name: 'agent', params_schema: { type: 'object' } },
    { name: 'llm', params_schema: { type: 'object' } },
    { name: 'tool', params_schema: { type: 'object' } },
    { name: 'hitl:human-approval', params_schema: { type: 'object' } },
  ],
});
core.agentManager.startInstance();

const tracer = core.tracer;
await withSpan(tracer, { name: 'triage', spanType: SpanType.AGENT, inputs: { task: 'triage ticket 42' } }, async () => {
  await withSpan(tracer, { name: 'plan', spanType: SpanType.LLM, inputs: { prompt: 'plan the triage' } }, async () => ({
    text: 'look up the customer, then refund',
  }));
  try {
    await withSpan(tracer, { name: 'lookup_customer', spanType: SpanType.TOOL, inputs: { id: 42 } }, async () => {
      throw new Error('customer service unavailable');
    });
  } catch {
    // the agent carries on
  }
  await withSpan(
    tracer,
    { name: 'approval', spanType: 'hitl:human-approval', inputs: { question: 'Refund $500?' } },
    async () => ({ decision: 'approved' }),
  );
  return { ok: true };
});

core.agentManager.finishInstance();
await core.shutdown();
