/**
 * The MCP gateway benchmark's upstream, in a process of its own: an MCP server built with the official
 * TypeScript SDK (the test suite's, on a fixed port), with one read-only tool. Ready over IPC.
 */
import { startMcpUpstream } from '../../test/helpers/mcp-upstream.js';

const upstream = await startMcpUpstream(
  [
    {
      name: 'get_item',
      description: 'Reads one item.',
      inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
      annotations: { readOnlyHint: true },
    },
  ],
  Number(process.env.MCP_UPSTREAM_PORT),
);
upstream.record = false; // a benchmark's worth of calls is not kept
process.send?.({ ready: 'mcp-upstream' });
process.on('SIGTERM', () => void upstream.close().then(() => process.exit(0)));
