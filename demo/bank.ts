/**
 * The demo bank: transfers and a ledger, behind a static API key only Warden knows (vaulted; agents reach
 * the bank through Warden's gateway, which injects the key after checking the agent's grant).
 */
import { randomBytes } from 'node:crypto';
import { serveJson, type DemoServer } from './http.js';

export interface Transfer {
  id: string;
  invoiceId: string;
  amount: number;
  routingNumber: string;
  account: string;
  /** Which agent the gateway said it was (x-warden-agent). */
  agentId: string;
  at: string;
}

export interface Bank extends DemoServer {
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
  const server = await serveJson((req, body) => {
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      state.refused++;
      return { status: 401, body: { error: 'invalid_api_key' } };
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/ledger') return { status: 200, body: { transfers: ledger } };
    if (req.method === 'POST' && path === '/transfers') {
      const t = JSON.parse(body || '{}') as Partial<Transfer>;
      if (typeof t.amount !== 'number' || !(t.amount > 0) || !t.routingNumber || !t.account || !t.invoiceId)
        return { status: 400, body: { error: 'invalid_transfer' } };
      const transfer: Transfer = {
        id: `TRF-${ledger.length + 1}`,
        invoiceId: t.invoiceId,
        amount: t.amount,
        routingNumber: t.routingNumber,
        account: t.account,
        agentId: String(req.headers['x-warden-agent'] ?? ''),
        at: new Date().toISOString(),
      };
      ledger.push(transfer);
      return { status: 201, body: transfer };
    }
    return { status: 404, body: { error: 'not_found' } };
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
