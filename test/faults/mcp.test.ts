/**
 * Fault injection on the MCP endpoint: the API process is SIGKILLed after a `tools/call` was decided and
 * before it was forwarded upstream. The agent's MCP client sees a broken request and calls again (same
 * arguments) on a new API process: the call is forwarded exactly once — the retry finds the decided
 * action open and claims it; the action's workflow takes one claim only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { actionWorkflowId } from '../../domain/actions.js';
import { startMcpUpstream, type TestUpstream } from '../helpers/mcp-upstream.js';
import { eventually } from '../helpers/stack.js';
import { buildWorld, LONG, startFaultStack, type FaultStack, type World } from './helpers.js';

let stack: FaultStack;
let world: World;
let upstream: TestUpstream;
const TOOLS: Tool[] = [
  {
    name: 'export_customers',
    description: 'Exports customers.',
    inputSchema: { type: 'object', properties: { limit: { type: 'number' } } },
  },
];
const mcpTool = () => `crm-mcp-${stack.tag}`;
const endpoint = () => `${stack.config.api.publicUrl}/mcp/${mcpTool()}`;

beforeAll(async () => {
  upstream = await startMcpUpstream(structuredClone(TOOLS));
  stack = await startFaultStack();
  await stack.startWorker();
  await stack.startApi();
  world = await buildWorld(stack);
  const admin = await stack.token(`admin-mcp-${stack.tag}@example.com`, ['admin']);
  const registered = await stack.gql(
    `mutation($input: RegisterToolInput!) { registerTool(input: $input) { tool { name } } }`,
    { input: { name: mcpTool(), authMode: 'MCP', upstreamUrl: upstream.url, upstreamAuth: 'NONE', operations: [] } },
    admin,
  );
  expect(registered.errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
  await upstream?.close();
});

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(stack.outputs())));

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'fault-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(endpoint()), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

describe('kill points on the MCP endpoint', () => {
  it('SIGKILL API after a tools/call was decided, before it was forwarded [api.action-decided]: the retried call is forwarded exactly once', async () => {
    const agent = await world.agent('MCP caller of a dying API');
    const admin = await stack.token(`admin-mcp-${stack.tag}@example.com`, ['admin']);
    const allowed = await stack.gql(
      `mutation($id: ID!, $tools: [AllowedToolInput!]!) { setAgentAllowedTools(input: { agentId: $id, tools: $tools }) { agent { id } } }`,
      { id: agent.id, tools: [{ tool: mcpTool(), operations: ['export_customers'] }] },
      admin,
    );
    expect(allowed.errors).toBeUndefined();
    const token = await agent.tokenFor(endpoint());
    const args = { limit: 25 };

    const client = await connect(token);
    stack.apiProcess!.arm('api.action-decided');
    const inFlight = client
      .callTool({ name: 'export_customers', arguments: args }, undefined, { timeout: 60_000 })
      .then(
        () => 'answered',
        () => 'broken',
      );
    await stack.apiProcess!.reached('api.action-decided');
    const dead = stack.apiProcess!;
    await dead.kill();
    expect(dead.child.signalCode).toBe('SIGKILL');
    expect(await inFlight).toBe('broken');
    await client.close().catch(() => undefined);
    expect(upstream.calls).toEqual([]); // decided, never forwarded

    await stack.startApi();
    const retry = await connect(token);
    const result = await retry.callTool({ name: 'export_customers', arguments: args });
    await retry.close();
    expect(result.content).toEqual([{ type: 'text', text: 'export_customers done: {"limit":25}' }]);
    expect(upstream.calls.map((c) => c.arguments)).toEqual([args]);

    // The action decided before the crash is the one forwarded, and its workflow took exactly one claim.
    const action = await eventually(async () => {
      const res = await stack.gql<any>(
        `query($id: ID!) { actionRequests(filter: { agentId: $id }, first: 10) { edges { node { id status } } } }`,
        { id: agent.id },
        admin,
      );
      const nodes = res.data?.actionRequests?.edges?.map((e: any) => e.node) ?? [];
      return nodes.length === 1 ? nodes[0] : null;
    }, LONG);
    const handle = stack.client.workflow.getHandle(actionWorkflowId(action.id));
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', LONG);
  });
});
