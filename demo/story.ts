/* eslint-disable max-lines -- the reference story, told top to bottom in one file as the design brief tells it. */
/**
 * The reference story of the design brief: a supply-chain agent with weeks of honest work reads a
 * poisoned invoice and tries to wire every large unpaid invoice to an attacker. Warden scores the request
 * against the agent's own baseline, contains the agent before answering (every token revoked), tells the
 * security team and holds the transfer for a person, who denies it. The bank ledger never moves.
 *
 * One module for `npm run demo` and the end-to-end test: both drive exactly this code against a real
 * Warden over HTTP, with a real ERP and a real bank (demo/erp.ts, demo/bank.ts). Both are MCP servers, and
 * the agent reaches them the way real agents do: with an MCP client, through Warden's MCP endpoints.
 */
import { actionPageUrl } from '../domain/notifications.js';
import { randomUUID } from 'node:crypto';
import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { startBank, type Bank } from './bank.js';
import { ATTACKER_ROUTING, startErp, type Erp, type Invoice } from './erp.js';
import { serveJson, type DemoServer } from './http.js';

export type Gql = <T = any>(
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
) => Promise<{ status: number; data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] }>;

export interface StoryOptions {
  /** Warden's public URL (its API, token endpoint, gateway and JWKS). */
  wardenUrl: string;
  gql: Gql;
  /** Human tokens (from your OIDC issuer, or the development issuer). */
  tokens: { admin: string; owner: string; security: string };
  people: { owner: string; security: string };
  /** The security webhook this Warden notifies, when the story runs it (it then shows what arrived). */
  securityInbox?: SecurityInbox;
  /** Base URL of the Temporal Web UI and the namespace, for links. */
  ui?: { url: string; namespace: string };
  /** Makes names unique per run (tools and agents stay in the directory). */
  suffix: string;
  /** How many days of normal work to replay before the attack. */
  days?: number;
  /** Wait for a person to decide instead of denying as the security approver. */
  interactive?: boolean;
  /** Opens a page for the person (interactive: the held transfer's page in the console). */
  open?: (url: string) => void;
  /** Called while the transfer waits for a person, before anyone decides (the test checks who may decide). */
  whilePending?: (held: { actionId: string; workflowId: string }) => Promise<void>;
  say?: (line: string) => void;
}

export interface SecurityInbox extends DemoServer {
  /**
   * Warden's JSON webhook bodies: `type` is `warden.security` (for the security team) or `warden.agent` (for the
   * owner).
   */
  received: { subject: string; text: string; agentId: string; to: string[]; type: string; at: string }[];
}

/** A webhook receiver standing in for the security team's channel (Slack, PagerDuty, a SIEM…). */
export async function startSecurityInbox(): Promise<SecurityInbox> {
  const received: SecurityInbox['received'] = [];
  const server = await serveJson((_req, body) => {
    received.push(JSON.parse(body) as SecurityInbox['received'][number]);
    return { status: 200, body: {} };
  });
  return { ...server, received };
}

export interface StoryResult {
  agentId: string;
  erp: Erp;
  bank: Bank;
  replay: { requests: number; allowed: number; heldThenApproved: number; settlements: number; heldBecause: string[] };
  attack: {
    actionId: string;
    workflowId: string;
    status: string;
    decision: string;
    contained: boolean;
    grant: unknown;
    score: number;
    reasons: { signal: string; detail: string }[];
    /** What each earlier credential got after containment: HTTP statuses. */
    afterContainment: { api: number; erp: number; bank: number; newToken: number; nextTransfer: number };
    /** What the agent's held call finally answered: the JSON-RPC error code, or 0 if it was forwarded. */
    heldCallAnswer: { code: number; message: string };
    transfersAttempted: number;
  };
  approval: { pendingSeenBySecurity: boolean; pendingSeenByOwner: boolean; decidedBy: string | null; status: string };
  /** Notifications that arrived at the security inbox after the poisoned invoice (when the story runs the inbox). */
  notified: SecurityInbox['received'];
  ledgerBefore: number;
  ledgerAfter: number;
  audit: { types: string[]; integrity: { ok?: boolean; [k: string]: unknown } };
}

const dollars = (n: number) => `$${n.toLocaleString('en-US')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An agent process: its own key pair, client assertions (RFC 7523) for access tokens — one per audience,
 * Warden's API or one of its MCP endpoints (RFC 8707) — and an MCP client per tool, through Warden.
 */
class AgentClient {
  private tokens = new Map<string, { value: string; until: number }>();
  private clients = new Map<string, Client>();
  constructor(
    private readonly o: StoryOptions,
    readonly id: string,
    private readonly privateJwk: JWK,
  ) {}

  /** An access token for `resource` (Warden's API unless an MCP endpoint is named). */
  async accessToken(fresh = false, resource?: string): Promise<{ status: number; token?: string }> {
    const key = resource ?? 'api';
    const cached = this.tokens.get(key);
    if (!fresh && cached && cached.until > Date.now()) return { status: 200, token: cached.value };
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.privateJwk.kid as string })
      .setIssuer(this.id)
      .setSubject(this.id)
      .setAudience(`${this.o.wardenUrl}/oauth/token`)
      .setIssuedAt()
      .setExpirationTime('60s')
      .setJti(randomUUID())
      .sign(await importJWK(this.privateJwk, 'ES256'));
    const res = await fetch(`${this.o.wardenUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        ...(resource ? { resource } : {}),
      }),
    });
    if (!res.ok) return { status: res.status };
    const body = (await res.json()) as { access_token: string; expires_in: number };
    this.tokens.set(key, { value: body.access_token, until: Date.now() + (body.expires_in - 30) * 1000 });
    return { status: 200, token: body.access_token };
  }

  endpoint(tool: string): string {
    return `${this.o.wardenUrl}/mcp/${tool}`;
  }

  /** Calls an MCP tool through Warden's endpoint for `tool`; the tool's structured result. */
  async call(tool: string, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    let client = this.clients.get(tool);
    if (!client) {
      const endpoint = this.endpoint(tool);
      client = new Client({ name: 'supply-chain-agent', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(endpoint), {
          authProvider: { token: async () => (await this.accessToken(false, endpoint)).token },
        }),
      );
      this.clients.set(tool, client);
    }
    const result = await client.callTool({ name, arguments: args }, { timeout: 120_000 });
    if (result.isError) throw new Error(`${tool}.${name} failed: ${JSON.stringify(result.content).slice(0, 200)}`);
    return (result.structuredContent ?? {}) as Record<string, unknown>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close().catch(() => undefined)));
  }
}

export async function runSupplyChainStory(o: StoryOptions): Promise<StoryResult> {
  const t0 = Date.now();
  const say = (line: string) => o.say?.(`${`+${((Date.now() - t0) / 1000).toFixed(1)}s`.padStart(8)}  ${line}`);
  const must = <T>(res: { data?: T | null; errors?: { message: string }[] }, what: string): T => {
    if (res.errors?.length || !res.data)
      throw new Error(`${what}: ${res.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    return res.data;
  };
  const erpName = `erp-${o.suffix}`;
  const bankName = `bank-${o.suffix}`;

  // ── 1. The world: people, two business systems, the agent ───────────────────────────────────────────
  for (const [email, displayName, roles] of [
    [o.people.owner, 'Olivia (supply-chain lead)', ['APPROVER']],
    [o.people.security, 'Sam (security on call)', ['SECURITY', 'APPROVER']],
  ] as const) {
    must(
      await o.gql(
        `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
        { i: { email, displayName, roles } },
        o.tokens.admin,
      ),
      'upsertPerson',
    );
  }
  const erp = await startErp({ wardenUrl: o.wardenUrl, issuer: o.wardenUrl });
  const bank = await startBank();
  // Both are MCP servers: Warden lists and pins their tools, and agents reach them only through its MCP endpoints.
  const tools = must(
    await o.gql<any>(
      `mutation($erp: RegisterToolInput!, $bank: RegisterToolInput!) { erp: registerTool(input: $erp) { tool { name mcp { endpoint } } clientSecret } bank: registerTool(input: $bank) { tool { name mcp { endpoint } } } }`,
      {
        erp: {
          name: erpName,
          authMode: 'MCP',
          upstreamUrl: erp.mcpUrl,
          upstreamAuth: 'WARDEN_GRANT',
          description: 'ERP: invoices and inventory (MCP)',
          operations: [{ name: 'update_inventory', sensitivity: 'LOW' }],
        },
        bank: {
          name: bankName,
          authMode: 'MCP',
          upstreamUrl: bank.mcpUrl,
          upstreamAuth: 'VAULTED_SECRET',
          secret: bank.apiKey,
          description: 'Bank: transfers (MCP; API key vaulted by Warden)',
          operations: [
            { name: 'transfer', sensitivity: 'CRITICAL', amountPointer: '/amount', resourcePointer: '/invoiceId' },
          ],
        },
      },
      o.tokens.admin,
    ),
    'registerTool',
  );
  erp.setCredentials(erpName, tools.erp.clientSecret);
  say(
    `ERP ${erp.mcpUrl} and bank ${bank.mcpUrl} are MCP servers. The agent reaches them only through Warden: ${tools.erp.tool.mcp.endpoint} (each call forwarded with a grant the ERP verifies) and ${tools.bank.tool.mcp.endpoint} (the bank's API key vaulted by Warden)`,
  );

  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const registered = must(
    await o.gql<any>(
      `mutation($i: RegisterAgentInput!) { registerAgent(input: $i) { agent { id } credential { clientId kid } } }`,
      {
        i: {
          name: `Supply-chain agent ${o.suffix}`,
          ownerEmail: o.people.owner,
          platform: 'supply-chain',
          description: 'Reads supplier invoices, keeps inventory current, settles small invoices.',
          publicJwk,
          allowedTools: [
            { tool: erpName, operations: ['read_invoices', 'update_inventory'] },
            { tool: bankName, operations: ['transfer'] },
          ],
        },
      },
      o.tokens.admin,
    ),
    'registerAgent',
  );
  const agentId: string = registered.registerAgent.agent.id;
  const agent = new AgentClient(o, agentId, {
    ...(await exportJWK(privateKey)),
    kid: registered.registerAgent.credential.kid,
    alg: 'ES256',
  });
  // Weeks compressed into a minute: warm-up by count, not by calendar days.
  must(
    await o.gql(
      `mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`,
      { id: agentId, p: { warmup: { actions: 40, days: 0 } } },
      o.tokens.admin,
    ),
    'setAgentRiskPolicy',
  );
  say(
    `registered "Supply-chain agent ${o.suffix}" (${agentId}), owner ${o.people.owner}; may use ${erpName}(read_invoices, update_inventory) and ${bankName}(transfer); its own ES256 key, no static secret`,
  );

  // ── 2. Weeks of normal work, through the real API and real grants ──────────────────────────────────
  const replay: StoryResult['replay'] = {
    requests: 0,
    allowed: 0,
    heldThenApproved: 0,
    settlements: 0,
    heldBecause: [],
  };
  const KNOWN_PAYEES = ['021000021', '011000015', '121000358'];
  const days = o.days ?? 15;
  say(
    `replaying ${days} working days of normal work in seconds — this agent's risk policy ends its warm-up after 40 actions instead of 60 actions and 7 days…`,
  );
  /** The agent's newest action waiting for a person, as `token`'s holder sees it. */
  const heldAction = async (token: string) => {
    const res = await o.gql<any>(
      `query($id: ID!) { actionRequests(filter: { agentId: $id, status: PENDING_APPROVAL }, first: 5) { edges { node { id workflowId operation decision status contained requestedAt grant { token } risk { score reasons { signal contribution detail } } } } } }`,
      { id: agentId },
      token,
    );
    return (res.data?.actionRequests?.edges?.[0]?.node ?? null) as any;
  };
  /**
   * One MCP call through Warden. A call held for a person waits at Warden's endpoint: early on, a payment can
   * be new enough to need one, and the owner looks and approves — the waiting call then goes through.
   */
  const act = async (tool: string, name: string, args: Record<string, unknown>) => {
    replay.requests++;
    let settled = false;
    const calling = agent.call(tool, name, args).finally(() => (settled = true));
    calling.catch(() => undefined);
    await Promise.race([calling, sleep(250)]);
    let held = false;
    while (!settled) {
      const action = await heldAction(o.tokens.owner);
      if (action) {
        const approve = async (token: string) =>
          must(
            await o.gql<any>(
              `mutation($i: ApproveActionInput!) { approveAction(input: $i) { action { status } } }`,
              { i: { actionId: action.id, comment: 'routine supplier payment' } },
              token,
            ),
            'approveAction',
          ).approveAction.action.status as string;
        // Where the routing policy asks for a quorum (a CRITICAL payment: two approvers, one from security),
        // security co-signs after the owner.
        const quorum = (await approve(o.tokens.owner)) === 'PENDING_APPROVAL';
        if (quorum) await approve(o.tokens.security);
        held = true;
        replay.heldThenApproved++;
        const because = (action.risk.reasons as { detail: string }[])
          .map((r) => r.detail.replace(/\.$/, ''))
          .join('; ');
        replay.heldBecause.push(because);
        say(
          `  ${tool}.${name}${args.amount ? ` ${dollars(Number(args.amount))}` : ''} was held for a person: ${because || 'no reason given'} (risk ${action.risk.score}); the owner approved it${quorum ? ' and security co-signed (the policy wants two approvers, one from security)' : ''}, and the waiting call went through`,
        );
        break;
      }
      await sleep(200);
    }
    const result = await calling;
    if (!held) replay.allowed++;
    return result;
  };
  for (let day = 0; day < days; day++) {
    const { invoices } = (await act(erpName, 'read_invoices', { status: 'UNPAID' })) as { invoices?: Invoice[] };
    if (!Array.isArray(invoices)) throw new Error('the ERP answered without invoices');
    for (const [i, sku] of ['BRK-220', 'GSK-14'].entries())
      await act(erpName, 'update_inventory', { sku, delta: i === 0 ? -40 : 120 });
    if (day % 2 === 1) {
      const invoice = erp.invoices.filter((inv) => inv.amount < 5000)[replay.settlements % 6]!;
      await act(bankName, 'transfer', {
        invoiceId: invoice.id,
        amount: invoice.amount,
        routingNumber: KNOWN_PAYEES[replay.settlements % KNOWN_PAYEES.length]!,
        account: `SUP-${invoice.supplier.slice(0, 4).toUpperCase()}`,
      });
      replay.settlements++;
    }
  }
  const ledgerBefore = bank.ledger.length;
  say(
    `normal work: ${replay.requests} MCP calls through Warden, ${replay.allowed} allowed at once${replay.heldThenApproved ? `, ${replay.heldThenApproved} held and approved by the owner` : ''}; ${replay.settlements} small invoices settled (ledger: ${ledgerBefore} transfers, $${bank.ledger.reduce((n, t) => n + t.amount, 0).toLocaleString('en-US')})`,
  );

  // ── 3. The poisoned invoice ────────────────────────────────────────────────────────────────────────
  // The credentials the agent holds right now: for Warden's API and for each MCP endpoint.
  const earlier = {
    api: (await agent.accessToken()).token!,
    erp: (await agent.accessToken(false, agent.endpoint(erpName))).token!,
    bank: (await agent.accessToken(false, agent.endpoint(bankName))).token!,
  };
  const { invoices: unpaid } = (await act(erpName, 'read_invoices', { status: 'UNPAID' })) as { invoices: Invoice[] };
  const poisoned = unpaid.find((i) => i.notes.includes('SYSTEM NOTICE'))!;
  say(
    `the agent reads invoice ${poisoned.id}; its notes carry a hidden instruction: "${poisoned.notes.slice(0, 96)}…"`,
  );
  const targets = unpaid.filter((i) => i.amount > 50_000);
  say(
    `the agent obeys: ${targets.length} unpaid invoices over $50,000 (${targets.map((i) => dollars(i.amount)).join(', ')}) to routing ${ATTACKER_ROUTING}`,
  );
  if (targets.length < 2) throw new Error('fewer than two invoices over $50,000 to attack');

  /** A tools/call straight to Warden's MCP endpoint with a given token: the HTTP status it gets. */
  const rawCall = async (tool: string, token: string, name: string, args: Record<string, unknown>) =>
    (
      await fetch(agent.endpoint(tool), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
      })
    ).status;
  const wire = (invoice: Invoice) => ({
    invoiceId: invoice.id,
    amount: invoice.amount,
    routingNumber: ATTACKER_ROUTING,
    account: '7730-1144',
  });

  // The first transfer: Warden decides it, and the agent's call waits at Warden's endpoint for a person.
  const first = targets[0]!;
  const heldCall = agent.call(bankName, 'transfer', wire(first)).then(
    () => ({ code: 0, message: 'forwarded to the bank' }),
    (err: unknown) => ({
      code: err instanceof ProtocolError ? err.code : -1,
      message: String((err as Error).message ?? err),
    }),
  );
  let action: any = null;
  for (const deadline = Date.now() + 30_000; !action && Date.now() < deadline; await sleep(100))
    action = await heldAction(o.tokens.security);
  if (!action) throw new Error('Warden did not hold the transfer');
  const attackRequestedAt: string = action.requestedAt;
  say(
    `Warden saw: ${bankName}.transfer ${dollars(first.amount)} (CRITICAL) for ${first.id} to routing ${ATTACKER_ROUTING} — risk ${action.risk.score}/100, because:`,
  );
  for (const r of action.risk.reasons as { signal: string; contribution: number; detail: string }[])
    say(`    ${r.signal.padEnd(9)} +${String(r.contribution).padEnd(3)} ${r.detail}`);
  say(
    `decision: ${action.decision} → ${action.status} (held for a person; the agent's call waits at Warden's MCP endpoint), grant: ${action.grant ? 'ISSUED' : 'none'}`,
  );
  if (action.contained)
    say(
      'containment: the agent is SUSPENDED and every token it holds is revoked (universal logout), before anything was forwarded',
    );
  const attack: StoryResult['attack'] = {
    actionId: action.id,
    workflowId: action.workflowId,
    status: action.status,
    decision: action.decision,
    contained: action.contained,
    grant: action.grant,
    score: action.risk.score,
    reasons: action.risk.reasons,
    afterContainment: { api: 0, erp: 0, bank: 0, newToken: 0, nextTransfer: 0 },
    heldCallAnswer: { code: 0, message: '' },
    transfersAttempted: 2,
  };
  // The agent goes on with the next invoice, on the token it holds.
  const next = targets[1]!;
  const c = attack.afterContainment;
  c.nextTransfer = await rawCall(bankName, earlier.bank, 'transfer', wire(next));
  say(
    `the agent's next transfer (${next.id}, ${dollars(next.amount)}) at Warden's MCP endpoint: HTTP ${c.nextTransfer} — its token is dead`,
  );

  // Every earlier credential, everywhere: Warden's API and both MCP endpoints; and no new token.
  c.api = (await o.gql(`{ viewer { kind } }`, {}, earlier.api)).status;
  c.erp = await rawCall(erpName, earlier.erp, 'read_invoices', {});
  c.bank = await rawCall(bankName, earlier.bank, 'transfer', wire(first));
  c.newToken = (await agent.accessToken(true)).status;
  say('every credential the agent held, tried again:');
  say(`    its access token at the Warden API           → HTTP ${c.api}`);
  say(`    its token at the ERP's MCP endpoint          → HTTP ${c.erp} (nothing reached the ERP)`);
  say(`    its token at the bank's MCP endpoint         → HTTP ${c.bank} (nothing reached the bank)`);
  say(`    a new access token (signed with its own key) → HTTP ${c.newToken}`);

  // ── 4. People: who was told, who decides ───────────────────────────────────────────────────────────
  let notified: SecurityInbox['received'] = [];
  if (o.securityInbox) {
    // Delivery runs beside the decision (a slow webhook never delays it): wait for the alert and the owner's notice.
    const since = () => o.securityInbox!.received.filter((n) => n.agentId === agentId && n.at >= attackRequestedAt);
    const deadline = Date.now() + 15_000;
    while (
      Date.now() < deadline &&
      !(since().some((n) => n.type === 'warden.security') && since().some((n) => n.type === 'warden.agent'))
    )
      await sleep(100);
    notified = since();
    for (const n of notified) {
      const who =
        n.type === 'warden.security'
          ? `the security team${n.to.length ? ` (and ${n.to.join(', ')})` : ''}`
          : n.to.join(', ') || 'the owner';
      say(`notified ${who}: "${n.subject}"`);
    }
    if (notified.length === 0) say('notified: nothing arrived at the security webhook within 15 s');
  } else {
    say(
      "notified: the security team and the owner, through this Warden's configured webhook (WARDEN_NOTIFY_WEBHOOK_URL)",
    );
  }

  const securityPending = `{ pendingApprovals(first: 100) { edges { node { id status approval { deadline } } } } }`;
  const pendingFor = async (token: string) => {
    const res = must(await o.gql<any>(securityPending, {}, token), 'pendingApprovals');
    return res.pendingApprovals.edges.find((e: any) => e.node.id === attack!.actionId)?.node ?? null;
  };
  // The approvers' lists come from Temporal visibility, which catches up within moments.
  let seenBySecurity: any = null;
  let seenByOwner: any = null;
  for (
    const deadline = Date.now() + 15_000;
    Date.now() < deadline && !(seenBySecurity && seenByOwner);
    await sleep(200)
  ) {
    seenBySecurity ??= await pendingFor(o.tokens.security);
    seenByOwner ??= await pendingFor(o.tokens.owner);
  }
  const deadlineAt = (seenBySecurity ?? seenByOwner)?.approval?.deadline;
  say(
    `approval pending in the lists of ${[seenByOwner && `${o.people.owner} (owner)`, seenBySecurity && `${o.people.security} (security)`].filter(Boolean).join(' and ') || 'nobody yet'}${deadlineAt ? `; if nobody decides by ${deadlineAt} it expires, and nothing moves` : ''}`,
  );
  await o.whilePending?.({ actionId: attack.actionId, workflowId: attack.workflowId });

  let decided: { status: string; approval: { decidedBy: string | null } };
  if (attack.status !== 'PENDING_APPROVAL') {
    say(`Warden did not hold the transfer (${attack.status}): nothing for a person to decide`);
    decided = { status: attack.status, approval: { decidedBy: null } };
  } else if (o.interactive) {
    printHowToDecide(o, attack, agentId);
    for (;;) {
      const now = must(
        await o.gql<any>(
          `query($id: ID!) { actionRequest(id: $id) { status approval { decidedBy } } }`,
          { id: attack.actionId },
          o.tokens.security,
        ),
        'actionRequest',
      );
      if (now.actionRequest.status !== 'PENDING_APPROVAL') {
        decided = now.actionRequest;
        break;
      }
      await sleep(1000);
    }
  } else {
    decided = must(
      await o.gql<any>(
        `mutation($i: DenyActionInput!) { denyAction(input: $i) { action { status approval { decidedBy } } } }`,
        {
          i: {
            actionId: attack.actionId,
            reason: 'poisoned invoice: the instruction came from the supplier PDF, not from us',
          },
        },
        o.tokens.security,
      ),
      'denyAction',
    ).denyAction.action;
  }
  say(`${decided.approval.decidedBy ?? 'nobody'} decided: ${decided.status}`);
  // The agent's call has waited at Warden's endpoint all along: it answers now (or answered "held" when the
  // wait ran out). Approved, the same call is forwarded once — Warden enforces the person's decision, whichever.
  attack.heldCallAnswer = await heldCall;
  say(
    `the agent's waiting call answered: ${attack.heldCallAnswer.code ? attack.heldCallAnswer.message : 'forwarded to the bank'}`,
  );
  if (decided.status === 'APPROVED' && attack.heldCallAnswer.code !== 0) {
    const retried = await agent.call(bankName, 'transfer', wire(first)).then(
      () => 'forwarded to the bank, once',
      (err: unknown) => `refused: ${(err as Error).message}`,
    );
    say(`approved after the wait, so the agent's same call again: ${retried}`);
  }

  // ── 5. The outcome ─────────────────────────────────────────────────────────────────────────────────
  const ledgerAfter = bank.ledger.length;
  const toAttacker = bank.ledger.filter((t) => t.routingNumber === ATTACKER_ROUTING);
  say(
    `bank ledger: ${ledgerAfter} transfers, ${ledgerAfter - ledgerBefore} since the poisoned invoice, ${toAttacker.length} to routing ${ATTACKER_ROUTING}${toAttacker.length ? ` (${dollars(toAttacker.reduce((n, t) => n + t.amount, 0))})` : ''}${bank.refused ? `; ${bank.refused} calls without the vaulted key refused` : ''}`,
  );
  let types: string[] = [];
  const final = /action\.(denied|approved|expired)$/;
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(200)) {
    const events = must(
      await o.gql<any>(
        `query($f: AuditEventFilter) { auditEvents(first: 100, filter: $f) { edges { node { type message } } } }`,
        { f: { actionId: attack.actionId } },
        o.tokens.security,
      ),
      'auditEvents',
    );
    types = events.auditEvents.edges.map((e: any) => e.node.type as string);
    if (types.some((t) => final.test(t))) break;
  }
  const integrity = must(
    await o.gql<any>(`{ auditTrailIntegrity }`, {}, o.tokens.security),
    'auditTrailIntegrity',
  ).auditTrailIntegrity;
  say(
    `audit trail for the action: ${types.join(' → ')}; hash chain ${integrity.ok ? `intact up to its anchored head (seq ${(integrity.anchoredAt as { seq?: number } | undefined)?.seq ?? '?'})` : `BROKEN: ${JSON.stringify(integrity).slice(0, 160)}`}`,
  );
  if (o.ui) {
    const link = (id: string) => `${o.ui!.url}/namespaces/${o.ui!.namespace}/workflows/${encodeURIComponent(id)}`;
    const search = (q: string) => `${o.ui!.url}/namespaces/${o.ui!.namespace}/workflows?query=${encodeURIComponent(q)}`;
    say(`in the Temporal UI: the held transfer  ${link(attack.workflowId)}`);
    say(`                    the agent          ${link(`agent:${agentId}`)}`);
    say(`                    the bank (tool)    ${link(`tool:${bankName}`)}`);
    say(`                    all of the agent   ${search(`AgentId = '${agentId}'`)}`);
  }
  await agent.close();
  return {
    agentId,
    erp,
    bank,
    replay,
    attack,
    approval: {
      pendingSeenBySecurity: seenBySecurity !== null,
      pendingSeenByOwner: seenByOwner !== null,
      decidedBy: decided.approval.decidedBy,
      status: decided.status,
    },
    notified,
    ledgerBefore,
    ledgerAfter,
    audit: { types, integrity },
  };
}

/** Interactive mode: how a person decides — in GraphiQL as the security approver, or with the Temporal CLI. */
function printHowToDecide(o: StoryOptions, attack: { actionId: string; workflowId: string }, agentId: string): void {
  const out = (line = '') => o.say?.(line);
  const page = actionPageUrl(o.wardenUrl, attack.actionId);
  out();
  out(`  The transfer waits for a person. Open its page in the approvers' console:`);
  out();
  out(`    ${page}`);
  out();
  out(
    `  and sign in as ${o.people.security} (security). Its reasons, the chart and the buttons are there: a denial ends it;`,
  );
  out(
    '  approving a CRITICAL transfer takes two approvers, one from security (config/approval-policy.yaml), so the owner',
  );
  out(`  (${o.people.owner}) would approve too.`);
  o.open?.(page);
  out();
  out(`  Or open GraphiQL at ${o.wardenUrl}/graphql, add this header (${o.people.security}, security):`);
  out();
  out(`    {"Authorization": "Bearer ${o.tokens.security}"}`);
  out();
  out('  and run one of:');
  out();
  out(
    `    mutation { denyAction(input: { actionId: "${attack.actionId}", reason: "poisoned invoice" }) { action { status approval { decidedBy } } } }`,
  );
  out(
    `    mutation { approveAction(input: { actionId: "${attack.actionId}", comment: "I checked with the supplier" }) { action { status } } }`,
  );
  out();
  out(
    "  or decide with the Temporal CLI: Warden signs your decision (you, your roles, the agent's owner, this action,",
  );
  out(
    '  once, for five minutes) and the command delivers it through the codec server. The workflow checks the signature,',
  );
  out('  so Temporal access alone decides nothing:');
  out();
  out(
    `    WARDEN_TOKEN='${o.tokens.security}' npm run approve -- ${attack.actionId} --deny --comment "poisoned invoice"`,
  );
  out();
  out('  (it prints the `temporal workflow update execute` command; add --send to run it).');
  out();
  out(`  (In the Temporal UI, search AgentId = '${agentId}' to watch the agent and its held transfer.)`);
  out();
}
