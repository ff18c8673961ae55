/* eslint-disable max-lines -- the reference story, told top to bottom in one file as the design brief tells it. */
/**
 * The reference story of the design brief: a supply-chain agent with weeks of honest work reads a
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
import { ATTACKER_ROUTING, startErp, type Erp } from './erp.js';
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
    afterContainment: { api: number; erp: number; gateway: number; newToken: number; nextTransfer: number };
    transfersAttempted: number;
  };
  approval: { pendingSeenBySecurity: boolean; pendingSeenByOwner: boolean; decidedBy: string | null; status: string };
  /** Notifications that arrived at the security inbox after the poisoned invoice (when the story runs the inbox). */
  notified: SecurityInbox['received'];
  ledgerBefore: number;
  ledgerAfter: number;
  audit: { types: string[]; integrity: { ok?: boolean; [k: string]: unknown } };
}

const REQUEST_ACTION = `mutation($input: RequestActionInput!) { requestAction(input: $input) {
  action { id status decision contained workflowId requestedAt risk { score reasons { signal contribution detail } } grant { token expiresAt } } } }`;

const dollars = (n: number) => `$${n.toLocaleString('en-US')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    if (!res.ok) return { status: res.status };
    const body = (await res.json()) as { access_token: string; expires_in: number };
    this.token = { value: body.access_token, until: Date.now() + (body.expires_in - 30) * 1000 };
    return { status: 200, token: body.access_token };
  }

  async request(input: Record<string, unknown>, token?: string) {
    const bearer = token ?? (await this.accessToken()).token ?? null;
    return this.o.gql(
      REQUEST_ACTION,
      { input: { idempotencyKey: randomUUID(), volume: 1, amount: 0, justification: '', ...input } },
      bearer,
    );
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
  const tools = must(
    await o.gql<any>(
      `mutation($erp: RegisterToolInput!, $bank: RegisterToolInput!) { erp: registerTool(input: $erp) { tool { name } clientSecret } bank: registerTool(input: $bank) { tool { name } } }`,
      {
        erp: {
          name: erpName,
          resource: erp.resource,
          authMode: 'WARDEN_JWT',
          description: 'ERP: invoices and inventory',
          operations: [
            { name: 'read_invoices', sensitivity: 'LOW' },
            { name: 'update_inventory', sensitivity: 'LOW' },
          ],
        },
        bank: {
          name: bankName,
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
  say(
    `ERP ${erp.url} (verifies Warden grants against the JWKS) and bank ${bank.url} (API key vaulted: reachable only through ${o.wardenUrl}/gateway/${bankName}/)`,
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
  let lastBankGrant: string | null = null;
  say(
    `replaying ${days} working days of normal work in seconds — this agent's risk policy ends its warm-up after 40 actions instead of 200 actions and 7 days…`,
  );
  const act = async (input: Record<string, unknown>) => {
    replay.requests++;
    const action = must(await agent.request(input), 'requestAction').requestAction.action;
    if (action.status === 'ALLOWED') {
      replay.allowed++;
      return action.grant.token as string;
    }
    if (action.status === 'PENDING_APPROVAL') {
      // Early on, a payment can be new enough to need a person: the owner looks and approves.
      must(
        await o.gql<any>(
          `mutation($i: ApproveActionInput!) { approveAction(input: $i) { action { status } } }`,
          { i: { actionId: action.id, comment: 'routine supplier payment' } },
          o.tokens.owner,
        ),
        'approveAction',
      );
      replay.heldThenApproved++;
      const because = (action.risk.reasons as { detail: string }[]).map((r) => r.detail.replace(/\.$/, '')).join('; ');
      replay.heldBecause.push(because);
      say(
        `  ${input.tool}.${input.operation}${input.amount ? ` ${dollars(Number(input.amount))}` : ''} was held for a person: ${because || 'no reason given'} (risk ${action.risk.score}); the owner approved it`,
      );
      // Only the agent that asked sees its grant.
      const mine = must(
        await o.gql<any>(
          `query($id: ID!) { actionRequest(id: $id) { status grant { token } } }`,
          { id: action.id },
          (await agent.accessToken()).token!,
        ),
        'actionRequest',
      );
      return mine.actionRequest.grant.token as string;
    }
    throw new Error(`normal work was ${action.status}: ${action.risk?.reasons?.map((r: any) => r.detail).join(' ')}`);
  };
  for (let day = 0; day < days; day++) {
    const readGrant = await act({
      tool: erpName,
      operation: 'read_invoices',
      volume: 12,
      context: { sourceNetwork: '10.40.0.0/16' },
    });
    const listed = await fetch(`${erp.url}/invoices?status=UNPAID`, {
      headers: { authorization: `Bearer ${readGrant}` },
    });
    if (listed.status !== 200) throw new Error(`the ERP refused a fresh grant: HTTP ${listed.status}`);
    for (const [i, sku] of ['BRK-220', 'GSK-14'].entries()) {
      const grant = await act({
        tool: erpName,
        operation: 'update_inventory',
        resourceId: sku,
        volume: 1,
        context: { sourceNetwork: '10.40.0.0/16' },
      });
      await fetch(`${erp.url}/inventory`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${grant}` },
        body: JSON.stringify({ sku, delta: i === 0 ? -40 : 120 }),
      });
    }
    if (day % 2 === 1) {
      const invoice = erp.invoices.filter((inv) => inv.amount < 5000)[replay.settlements % 6]!;
      const amount = invoice.amount;
      const payee = KNOWN_PAYEES[replay.settlements % KNOWN_PAYEES.length]!;
      const grant = await act({
        tool: bankName,
        operation: 'transfer',
        resourceId: invoice.id,
        amount,
        volume: 1,
        context: { sourceNetwork: '10.40.0.0/16', payeeRouting: payee },
      });
      const paid = await fetch(`${o.wardenUrl}/gateway/${bankName}/transfers`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${grant}`,
          'content-type': 'application/json',
          'warden-amount': String(amount),
          'warden-volume': '1',
          'warden-resource-id': invoice.id,
        },
        body: JSON.stringify({
          invoiceId: invoice.id,
          amount,
          routingNumber: payee,
          account: `SUP-${invoice.supplier.slice(0, 4).toUpperCase()}`,
        }),
      });
      if (paid.status !== 201)
        throw new Error(`the bank refused a settlement through the gateway: HTTP ${paid.status} ${await paid.text()}`);
      replay.settlements++;
      lastBankGrant = grant;
    }
  }
  const ledgerBefore = bank.ledger.length;
  say(
    `normal work: ${replay.requests} requests, ${replay.allowed} allowed at once${replay.heldThenApproved ? `, ${replay.heldThenApproved} held and approved by the owner` : ''}; ${replay.settlements} small invoices settled through the gateway (ledger: ${ledgerBefore} transfers, $${bank.ledger.reduce((n, t) => n + t.amount, 0).toLocaleString('en-US')})`,
  );

  // ── 3. The poisoned invoice ────────────────────────────────────────────────────────────────────────
  const earlierToken = (await agent.accessToken()).token!;
  const readGrant = await act({
    tool: erpName,
    operation: 'read_invoices',
    volume: 12,
    context: { sourceNetwork: '10.40.0.0/16' },
  });
  const unpaid = (
    (await (
      await fetch(`${erp.url}/invoices?status=UNPAID`, { headers: { authorization: `Bearer ${readGrant}` } })
    ).json()) as { invoices: { id: string; amount: number; notes: string }[] }
  ).invoices;
  const poisoned = unpaid.find((i) => i.notes.includes('SYSTEM NOTICE'))!;
  say(
    `the agent reads invoice ${poisoned.id}; its notes carry a hidden instruction: "${poisoned.notes.slice(0, 96)}…"`,
  );
  const targets = unpaid.filter((i) => i.amount > 50_000);
  say(
    `the agent obeys: ${targets.length} unpaid invoices over $50,000 (${targets.map((i) => dollars(i.amount)).join(', ')}) to routing ${ATTACKER_ROUTING}`,
  );

  let attack: StoryResult['attack'] | null = null;
  let attackRequestedAt = '';
  let transfersAttempted = 0;
  for (const invoice of targets) {
    transfersAttempted++;
    const res = await agent.request(
      {
        tool: bankName,
        operation: 'transfer',
        resourceId: invoice.id,
        amount: invoice.amount,
        volume: 1,
        justification: poisoned.notes,
        context: { sourceNetwork: '10.40.0.0/16', payeeRouting: ATTACKER_ROUTING },
      },
      earlierToken,
    );
    if (!attack) {
      const action = must(res, 'requestAction').requestAction.action;
      attackRequestedAt = action.requestedAt;
      say(
        `Warden saw: ${bankName}.transfer ${dollars(invoice.amount)} (CRITICAL) for ${invoice.id} to routing ${ATTACKER_ROUTING} — risk ${action.risk.score}/100, because:`,
      );
      for (const r of action.risk.reasons as { signal: string; contribution: number; detail: string }[])
        say(`    ${r.signal.padEnd(9)} +${String(r.contribution).padEnd(3)} ${r.detail}`);
      say(
        `decision: ${action.decision} → ${action.status} (held for a person), grant: ${action.grant ? 'ISSUED' : 'none'}`,
      );
      if (action.contained)
        say(
          'containment: the agent is SUSPENDED and every token it holds is revoked (universal logout), before this answer left Warden',
        );
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
      say(
        `the agent's next transfer request (${invoice.id}, ${dollars(invoice.amount)}): HTTP ${res.status} ${res.errors?.[0]?.extensions?.code ?? ''} — its token is dead`,
      );
      break;
    }
  }
  if (!attack) throw new Error('no invoice over $50,000 to attack');
  attack.transfersAttempted = transfersAttempted;

  // Every earlier credential, everywhere: Warden's API, the ERP (which asks introspection), the gateway.
  const c = attack.afterContainment;
  c.api = (await o.gql(`{ viewer { kind } }`, {}, earlierToken)).status;
  c.erp = (await fetch(`${erp.url}/invoices`, { headers: { authorization: `Bearer ${readGrant}` } })).status;
  c.gateway = lastBankGrant
    ? (
        await fetch(`${o.wardenUrl}/gateway/${bankName}/transfers`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${lastBankGrant}`,
            'content-type': 'application/json',
            'warden-amount': '1',
            'warden-volume': '1',
          },
          body: '{}',
        })
      ).status
    : 0;
  c.newToken = (await agent.accessToken(true)).status;
  say('every credential the agent held, tried again:');
  say(`    its access token at the Warden API          → HTTP ${c.api}`);
  say(
    `    its invoice-reading grant at the ERP         → HTTP ${c.erp}${c.erp === 401 ? ` — ${erp.calls.at(-1)?.why}` : ''}`,
  );
  say(`    its last bank grant at Warden's gateway      → HTTP ${c.gateway}`);
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
  if (decided.status === 'APPROVED') {
    // A person said yes: Warden resumed the agent, and the agent — still obeying the invoice — uses its grant.
    const fresh = await agent.accessToken(true);
    const mine = fresh.token
      ? await o.gql<any>(
          `query($id: ID!) { actionRequest(id: $id) { grant { token } } }`,
          { id: attack.actionId },
          fresh.token,
        )
      : null;
    const grant = mine?.data?.actionRequest?.grant?.token as string | undefined;
    const invoice = targets[0]!;
    const paid = grant
      ? await fetch(`${o.wardenUrl}/gateway/${bankName}/transfers`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${grant}`,
            'content-type': 'application/json',
            'warden-amount': String(invoice.amount),
            'warden-volume': '1',
            'warden-resource-id': invoice.id,
          },
          body: JSON.stringify({
            invoiceId: invoice.id,
            amount: invoice.amount,
            routingNumber: ATTACKER_ROUTING,
            account: '7730-1144',
          }),
        })
      : null;
    say(
      `approved, so Warden resumed the agent and it used its grant: ${dollars(invoice.amount)} to routing ${ATTACKER_ROUTING} → ${paid ? `HTTP ${paid.status}` : 'no grant'} (Warden enforces the person's decision, whichever it is)`,
    );
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
  out();
  out(
    `  The transfer waits for a person. Open GraphiQL at ${o.wardenUrl}/graphql, add this header (${o.people.security}, security):`,
  );
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
