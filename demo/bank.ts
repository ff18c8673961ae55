/**
 * The demo bank: transfers and a ledger, as an MCP server (tool `transfer`) behind a static API key only
 * Warden knows: vaulted, injected by Warden's MCP endpoint into the calls it decided to forward. Agents
 * never hold the key.
 */
import { randomBytes } from 'node:crypto';
import { ProtocolError, Server, type Tool } from '@modelcontextprotocol/server';
import { serveMcp, type McpDemoServer } from './mcp.js';

export interface Transfer {
  id: string;
  invoiceId: string;
  amount: number;
  routingNumber: string;
  account: string;
  at: string;
}

export const BANK_TOOLS: Tool[] = [
  {
    name: 'transfer',
    description: 'Wires money for an invoice to a routing number and account.',
    inputSchema: {
      type: 'object',
      properties: {
        invoiceId: { type: 'string' },
        amount: { type: 'number' },
        routingNumber: { type: 'string' },
        account: { type: 'string' },
      },
      required: ['invoiceId', 'amount', 'routingNumber', 'account'],
    },
    annotations: { destructiveHint: true },
  },
];

export interface Bank extends McpDemoServer {
  /** The static key the bank issued; given to Warden once (registerTool), never to an agent. */
  apiKey: string;
  ledger: Transfer[];
  /** Requests refused for a missing or wrong key. */
  refused: number;
}

export async function startBank(): Promise<Bank> {
  const apiKey = `bank_live_${randomBytes(18).toString('base64url')}`;
  const ledger: Transfer[] = [];
  const state = { refused: 0 };
  const server = await serveMcp((request) => {
    const keyed = () => {
      if (request.headers.get('authorization') !== `Bearer ${apiKey}`) {
        state.refused++;
        throw new ProtocolError(-32001, 'invalid_api_key');
      }
    };
    const mcp = new Server({ name: 'demo-bank', version: '1.0.0' }, { capabilities: { tools: {} } });
    mcp.setRequestHandler('tools/list', () => {
      keyed();
      return { tools: BANK_TOOLS };
    });
    mcp.setRequestHandler('tools/call', ({ params }) => {
      keyed();
      if (params.name !== 'transfer') throw new ProtocolError(-32602, `Unknown tool: ${params.name}`);
      const t = (params.arguments ?? {}) as Partial<Transfer>;
      if (typeof t.amount !== 'number' || !(t.amount > 0) || !t.routingNumber || !t.account || !t.invoiceId)
        return { content: [{ type: 'text', text: 'invalid_transfer' }], isError: true };
      const transfer: Transfer = {
        id: `TRF-${ledger.length + 1}`,
        invoiceId: t.invoiceId,
        amount: t.amount,
        routingNumber: t.routingNumber,
        account: t.account,
        at: new Date().toISOString(),
      };
      ledger.push(transfer);
      return { content: [{ type: 'text', text: JSON.stringify(transfer) }], structuredContent: { ...transfer } };
    });
    return mcp;
  });
  return {
    ...server,
    apiKey,
    ledger,
    get refused() {
      return state.refused;
    },
  };
}
