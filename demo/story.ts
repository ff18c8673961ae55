/**
 * The reference story (../shared/DESIGN.md): a supply-chain agent with weeks of honest work reads a
 * poisoned invoice and tries to wire every large unpaid invoice to an attacker. Warden scores the request
 * against the agent's own baseline, contains the agent before answering (every token revoked), tells the
 * security team and holds the transfer for a person, who denies it. The bank ledger never moves.
 *
 * One module for `npm run demo` and the end-to-end test: both drive exactly this code against a real
 * Warden over HTTP, with a real ERP and a real bank (demo/erp.ts, demo/bank.ts).
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { startBank, type Bank } from './bank.js';
import { startErp, type Erp } from './erp.js';
import { serveJson, type DemoServer } from './http.js';

export type Gql = <T = any>(query: string, variables: Record<string, unknown>, token: string | null) => Promise<{ status: number; data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] }>;

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
  say?: (line: string) => void;
}

export interface SecurityInbox extends DemoServer {
  received: { subject: string; text: string; agentId: string; type: string; at: string }[];
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
  replay: { requests: number; allowed: number; heldThenApproved: number; settlements: number };
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
    afterContainment: { api: number; erp: number; gateway: number; newToken: number; nextTransfer: number };
    transfersAttempted: number;
  };
  approval: { pendingSeenBySecurity: boolean; deniedBy: string | null; status: string };
  ledgerBefore: number;
  ledgerAfter: number;
  audit: { types: string[]; integrity: { ok?: boolean; [k: string]: unknown } };
}

const REQUEST_ACTION = `mutation($input: RequestActionInput!) { requestAction(input: $input) {
  action { id status decision contained workflowId risk { score reasons { signal detail } } grant { token expiresAt } } } }`;

/** An agent process: its own key pair, client assertions (RFC 7523) for access tokens, requests over GraphQL. */
class AgentClient {
  private token: { value: string; until: number } | null = null;
  constructor(
    private readonly o: StoryOptions,
    readonly id: string,
    private readonly privateJwk: JWK,
  ) {}

  async accessToken(fresh = false): Promise<{ status: number; token?: string }> {
    if (!fresh && this.token && this.token.until > Date.now()) return { status: 200, token: this.token.value };
    const key = await importJWK(this.privateJwk, 'ES256');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.privateJwk.kid as string })
      .setIssuer(this.id)
      .setSubject(this.id)
      .setAudience(`${this.o.wardenUrl}/oauth/token`)
      .setIssuedAt()
      .setExpirationTime('60s')
      .setJti(randomUUID())
      .sign(key);
    const res = await fetch(`${this.o.wardenUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
    });
    if (!res.ok) return { status: res.status };
    const body = (await res.json()) as { access_token: string; expires_in: number };
    this.token = { value: body.access_token, until: Date.now() + (body.expires_in - 30) * 1000 };
    return { status: 200, token: body.access_token };
  }

  async request(input: Record<string, unknown>, token?: string) {
    const bearer = token ?? (await this.accessToken()).token ?? null;
    return this.o.gql(REQUEST_ACTION, { input: { idempotencyKey: randomUUID(), volume: 1, amount: 0, justification: '', ...input } }, bearer);
  }
}

export async function runSupplyChainStory(o: StoryOptions): Promise<StoryResult> {
  const t0 = Date.now();
  const say = (line: string) => o.say?.(`${`+${((Date.now() - t0) / 1000).toFixed(1)}s`.padStart(8)}  ${line}`);
  const must = <T>(res: { data?: T | null; errors?: { message: string }[] }, what: string): T => {
    if (res.errors?.length || !res.data) throw new Error(`${what}: ${res.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    return res.data;
  };
  const erpName = `erp-${o.suffix}`;
  const bankName = `bank-${o.suffix}`;

  // ── 1. The world: people, two business systems, the agent ───────────────────────────────────────────
  for (const [email, displayName, roles] of [
    [o.people.owner, 'Olivia (supply-chain lead)', ['APPROVER']],
    [o.people.security, 'Sam (security on call)', ['SECURITY', 'APPROVER']],
  ] as const) {
    must(await o.gql(`mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`, { i: { email, displayName, roles } }, o.tokens.admin), 'upsertPerson');
  }
  const erp = await startErp({ wardenUrl: o.wardenUrl, issuer: o.wardenUrl });
  const bank = await startBank();
  const tools = must(
    await o.gql<any>(
      `mutation($erp: RegisterToolInput!, $bank: RegisterToolInput!) { erp: registerTool(input: $erp) { tool { name } clientSecret } bank: registerTool(input: $bank) { tool { name } } }`,
      {
        erp: { name: erpName, resource: erp.resource, authMode: 'WARDEN_JWT', description: 'ERP: invoices and inventory', operations: [{ name: 'read_invoices', sensitivity: 'LOW' }, { name: 'update_inventory', sensitivity: 'LOW' }] },
        bank: {
          name: bankName,
          resource: `${o.wardenUrl}/gateway/${bankName}/`,
          authMode: 'VAULTED_SECRET',
          description: 'Bank: transfers (API key vaulted by Warden)',
          upstreamUrl: bank.url,
          secret: bank.apiKey,
          operations: [{ name: 'transfer', sensitivity: 'CRITICAL', method: 'POST', path: '/transfers' }],
        },
      },
      o.tokens.admin,
    ),
    'registerTool',
  );
  erp.setCredentials(erpName, tools.erp.clientSecret);
  say(`ERP ${erp.url} (verifies Warden grants against the JWKS) and bank ${bank.url} (API key vaulted: reachable only through ${o.wardenUrl}/gateway/${bankName}/)`);

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
          allowedTools: [{ tool: erpName, operations: ['read_invoices', 'update_inventory'] }, { tool: bankName, operations: ['transfer'] }],
        },
      },
      o.tokens.admin,
    ),
    'registerAgent',
  );
  const agentId: string = registered.registerAgent.agent.id;
  const agent = new AgentClient(o, agentId, { ...(await exportJWK(privateKey)), kid: registered.registerAgent.credential.kid, alg: 'ES256' });
  // Weeks compressed into a minute: warm-up by count, not by calendar days.
  must(await o.gql(`mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`, { id: agentId, p: { warmup: { actions: 40, days: 0 } } }, o.tokens.admin), 'setAgentRiskPolicy');
  say(`registered "Supply-chain agent ${o.suffix}" (${agentId}), owner ${o.people.owner}; may use ${erpName}(read_invoices, update_inventory) and ${bankName}(transfer); its own ES256 key, no static secret`);

  // ── 2. Weeks of normal work, through the real API and real grants ──────────────────────────────────
  const replay = { requests: 0, allowed: 0, heldThenApproved: 0, settlements: 0 };
  const KNOWN_PAYEES = ['021000021', '011000015', '121000358'];
  const days = o.days ?? 15;
  let lastBankGrant: string | null = null;
  say(`replaying ${days} working days of normal work…`);
  const act = async (input: Record<string, unknown>) => {
    replay.requests++;
    const action = must(await agent.request(input), 'requestAction').requestAction.action;
    if (action.status === 'ALLOWED') {
      replay.allowed++;
      return action.grant.token as string;
    }
    if (action.status === 'PENDING_APPROVAL') {
      // Early on, a payment can be new enough to need a person: the owner looks and approves.
      must(await o.gql<any>(`mutation($i: ApproveActionInput!) { approveAction(input: $i) { action { status } } }`, { i: { actionId: action.id, comment: 'routine supplier payment' } }, o.tokens.owner), 'approveAction');
      replay.heldThenApproved++;
      say(`  ${input.tool}.${input.operation}${input.amount ? ` $${Number(input.amount).toLocaleString('en-US')}` : ''} was held for a person (${action.risk.reasons[0]?.detail ?? `a CRITICAL operation while the baseline is young; risk ${action.risk.score}`}); the owner approved it`);
      // Only the agent that asked sees its grant.
      const mine = must(await o.gql<any>(`query($id: ID!) { actionRequest(id: $id) { status grant { token } } }`, { id: action.id }, (await agent.accessToken()).token!), 'actionRequest');
      return mine.actionRequest.grant.token as string;
    }
    throw new Error(`normal work was ${action.status}: ${action.risk?.reasons?.map((r: any) => r.detail).join(' ')}`);
  };
  for (let day = 0; day < days; day++) {
    const readGrant = await act({ tool: erpName, operation: 'read_invoices', volume: 12, context: { sourceNetwork: '10.40.0.0/16' } });
    const listed = await fetch(`${erp.url}/invoices?status=UNPAID`, { headers: { authorization: `Bearer ${readGrant}` } });
    if (listed.status !== 200) throw new Error(`the ERP refused a fresh grant: HTTP ${listed.status}`);
    for (const [i, sku] of ['BRK-220', 'GSK-14'].entries()) {
      const grant = await act({ tool: erpName, operation: 'update_inventory', resourceId: sku, volume: 1, context: { sourceNetwork: '10.40.0.0/16' } });
      await fetch(`${erp.url}/inventory`, { method: 'PATCH', headers: { authorization: `Bearer ${grant}` }, body: JSON.stringify({ sku, delta: i === 0 ? -40 : 120 }) });
    }
    if (day % 2 === 1) {
      const invoice = erp.invoices.filter((inv) => inv.amount < 5000)[replay.settlements % 6]!;
      const amount = invoice.amount;
      const payee = KNOWN_PAYEES[replay.settlements % KNOWN_PAYEES.length]!;
      const grant = await act({ tool: bankName, operation: 'transfer', resourceId: invoice.id, amount, volume: 1, context: { sourceNetwork: '10.40.0.0/16', payeeRouting: payee } });
      const paid = await fetch(`${o.wardenUrl}/gateway/${bankName}/transfers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${grant}`, 'content-type': 'application/json', 'warden-amount': String(amount), 'warden-volume': '1', 'warden-resource-id': invoice.id },
        body: JSON.stringify({ invoiceId: invoice.id, amount, routingNumber: payee, account: `SUP-${invoice.supplier.slice(0, 4).toUpperCase()}` }),
      });
      if (paid.status !== 201) throw new Error(`the bank refused a settlement through the gateway: HTTP ${paid.status} ${await paid.text()}`);
      replay.settlements++;
      lastBankGrant = grant;
    }
  }
  const ledgerBefore = bank.ledger.length;
  say(`normal work: ${replay.requests} requests, ${replay.allowed} allowed at once${replay.heldThenApproved ? `, ${replay.heldThenApproved} held and approved by the owner` : ''}; ${replay.settlements} small invoices settled through the gateway (ledger: ${ledgerBefore} transfers, $${bank.ledger.reduce((n, t) => n + t.amount, 0).toLocaleString('en-US')})`);

  // ── 3. The poisoned invoice ────────────────────────────────────────────────────────────────────────
  const earlierToken = (await agent.accessToken()).token!;
  const readGrant = await act({ tool: erpName, operation: 'read_invoices', volume: 12, context: { sourceNetwork: '10.40.0.0/16' } });
  const unpaid = ((await (await fetch(`${erp.url}/invoices?status=UNPAID`, { headers: { authorization: `Bearer ${readGrant}` } })).json()) as { invoices: { id: string; amount: number; notes: string }[] }).invoices;
  const poisoned = unpaid.find((i) => i.notes.includes('SYSTEM NOTICE'))!;
  say(`the agent reads invoice ${poisoned.id}; its notes carry a hidden instruction: "${poisoned.notes.slice(0, 96)}…"`);
  const targets = unpaid.filter((i) => i.amount > 50_000);
  say(`the agent obeys: ${targets.length} unpaid invoices over $50,000 (${targets.map((i) => `$${i.amount.toLocaleString('en-US')}`).join(', ')}) to routing 026009593`);

  let attack: StoryResult['attack'] | null = null;
  let transfersAttempted = 0;
  for (const invoice of targets) {
    transfersAttempted++;
    const res = await agent.request({
      tool: bankName,
      operation: 'transfer',
      resourceId: invoice.id,
      amount: invoice.amount,
      volume: 1,
      justification: poisoned.notes,
      context: { sourceNetwork: '10.40.0.0/16', payeeRouting: '026009593' },
    }, earlierToken);
    if (!attack) {
      const action = must(res, 'requestAction').requestAction.action;
      say(`Warden saw: ${bankName}.transfer $${invoice.amount.toLocaleString('en-US')} (CRITICAL) to routing 026009593 — risk ${action.risk.score}/100`);
      for (const r of action.risk.reasons as { signal: string; detail: string }[]) say(`    ${r.signal.padEnd(9)} ${r.detail}`);
      say(`decision: ${action.decision} → ${action.status}${action.contained ? '; the agent is CONTAINED: suspended, every token revoked, before this answer left Warden' : ''}; grant: ${action.grant ? 'issued' : 'none'}`);
      attack = {
        actionId: action.id,
        workflowId: action.workflowId,
        status: action.status,
        decision: action.decision,
        contained: action.contained,
        grant: action.grant,
        score: action.risk.score,
        reasons: action.risk.reasons,
        afterContainment: { api: 0, erp: 0, gateway: 0, newToken: 0, nextTransfer: res.status },
        transfersAttempted: 0,
      };
    } else {
      attack.afterContainment.nextTransfer = res.status;
      say(`the agent's next transfer request (${invoice.id}, $${invoice.amount.toLocaleString('en-US')}): HTTP ${res.status} ${res.errors?.[0]?.extensions?.code ?? ''} — its token is dead`);
      break;
    }
  }
  if (!attack) throw new Error('no invoice over $50,000 to attack');
  attack.transfersAttempted = transfersAttempted;

  // Every earlier credential, everywhere.
  attack.afterContainment.api = (await o.gql(`{ viewer { kind } }`, {}, earlierToken)).status;
  attack.afterContainment.erp = (await fetch(`${erp.url}/invoices`, { headers: { authorization: `Bearer ${readGrant}` } })).status;
  attack.afterContainment.gateway = lastBankGrant
    ? (await fetch(`${o.wardenUrl}/gateway/${bankName}/transfers`, { method: 'POST', headers: { authorization: `Bearer ${lastBankGrant}`, 'content-type': 'application/json', 'warden-amount': '1', 'warden-volume': '1' }, body: '{}' })).status
    : 0;
  attack.afterContainment.newToken = (await agent.accessToken(true)).status;
  say(`containment: the earlier access token at the Warden API → HTTP ${attack.afterContainment.api}; the earlier ERP grant at the ERP → HTTP ${attack.afterContainment.erp}; an earlier bank grant at the gateway → HTTP ${attack.afterContainment.gateway}; a new token for the agent → HTTP ${attack.afterContainment.newToken}`);

  // ── 4. People: who was told, who decides ───────────────────────────────────────────────────────────
  if (o.securityInbox) {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !o.securityInbox.received.some((n) => n.agentId === agentId && n.type === 'warden.security')) await new Promise((r) => setTimeout(r, 100));
    for (const n of o.securityInbox.received.filter((x) => x.agentId === agentId)) say(`notified (${n.type.replace('warden.', '')}): ${n.subject}`);
  }
  const pending = must(await o.gql<any>(`{ pendingApprovals(first: 50) { edges { node { id status } } } }`, {}, o.tokens.security), 'pendingApprovals');
  const pendingSeenBySecurity = pending.pendingApprovals.edges.some((e: any) => e.node.id === attack!.actionId);
  say(`approval pending for ${o.people.owner} (owner) or the security team: action ${attack.actionId}`);

  let decided: { status: string; approval: { decidedBy: string | null } };
  if (attack.status !== 'PENDING_APPROVAL') {
    say(`Warden did not hold the transfer (${attack.status}): nothing for a person to decide`);
    decided = { status: attack.status, approval: { decidedBy: null } };
  } else if (o.interactive) {
    say('waiting for a person. Decide in GraphiQL:');
    o.say?.(`\n  mutation { denyAction(input: { actionId: "${attack.actionId}", reason: "poisoned invoice" }) { action { status } } }\n`);
    o.say?.(`  or with the Temporal CLI (payloads go through Warden's codec server):\n  temporal workflow update execute --codec-endpoint ${o.wardenUrl}/codec --codec-auth 'Bearer ${o.tokens.admin}' --workflow-id ${attack.workflowId} --name denyAction --input '{"approver":{"kind":"human","id":"${o.people.security}"},"approverRoles":["security"],"comment":"poisoned invoice"}'\n`);
    o.say?.('  (the CLI talks to Temporal directly: whoever holds Temporal access is trusted as that approver)\n');
    for (;;) {
      const now = must(await o.gql<any>(`query($id: ID!) { actionRequest(id: $id) { status approval { decidedBy } } }`, { id: attack.actionId }, o.tokens.security), 'actionRequest');
      if (now.actionRequest.status !== 'PENDING_APPROVAL') {
        decided = now.actionRequest;
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } else {
    decided = must(
      await o.gql<any>(`mutation($i: DenyActionInput!) { denyAction(input: $i) { action { status approval { decidedBy } } } }`, { i: { actionId: attack.actionId, reason: 'poisoned invoice: the instruction came from the supplier PDF, not from us' } }, o.tokens.security),
      'denyAction',
    ).denyAction.action;
  }
  say(`${decided.approval.decidedBy ?? 'nobody'} decided: ${decided.status}`);

  // ── 5. The outcome ─────────────────────────────────────────────────────────────────────────────────
  const ledgerAfter = bank.ledger.length;
  const toAttacker = bank.ledger.filter((t) => t.routingNumber === '026009593').length;
  say(`bank ledger: ${ledgerAfter} transfers, ${ledgerAfter - ledgerBefore} since the poisoned invoice, ${toAttacker} to routing 026009593${bank.refused ? `; ${bank.refused} calls without the vaulted key refused` : ''}`);
  let types: string[] = [];
  const deadline = Date.now() + 15_000;
  do {
    const events = must(await o.gql<any>(`query($f: AuditEventFilter) { auditEvents(first: 100, filter: $f) { edges { node { type message } } } }`, { f: { actionId: attack.actionId } }, o.tokens.security), 'auditEvents');
    types = events.auditEvents.edges.map((e: any) => e.node.type as string);
    if (types.some((t) => /action\.(denied|approved|expired)$/.test(t))) break;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);
  const integrity = must(await o.gql<any>(`{ auditTrailIntegrity }`, {}, o.tokens.security), 'auditTrailIntegrity').auditTrailIntegrity;
  say(`audit trail for the action: ${types.join(' → ')}; hash chain ${integrity.ok ? `intact up to its anchored head (seq ${(integrity.anchoredAt as { seq?: number } | undefined)?.seq ?? '?'})` : `BROKEN: ${JSON.stringify(integrity).slice(0, 160)}`}`);
  if (o.ui) {
    const link = (id: string) => `${o.ui!.url}/namespaces/${o.ui!.namespace}/workflows/${encodeURIComponent(id)}`;
    say(`in the Temporal UI: the action ${link(attack.workflowId)}`);
    say(`                    the agent  ${link(`agent:${agentId}`)}`);
    say(`                    search     AgentId = '${agentId}'`);
  }
  return { agentId, erp, bank, replay, attack, approval: { pendingSeenBySecurity, deniedBy: decided.approval.decidedBy, status: decided.status }, ledgerBefore, ledgerAfter, audit: { types, integrity } };
}
