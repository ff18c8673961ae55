/**
 * In-process costs, each against a same-run baseline:
 *  - grant verification (what a tool pays per call): Warden's verifier (structural checks + jose +
 *    Warden's claim rules), and with the revocation check on a warm cache (what the gateway and
 *    AgentTokens pay), against jose's bare jwtVerify of the same token with the same key set;
 *  - scoring per request: assess + decide on a six-week baseline, and learn, against one ES256 grant
 *    signature (what every ALLOW pays anyway) — plus what the routine path pays to ship the baseline to
 *    its scoring activity (payload conversion + AES-GCM codec).
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { defaultPayloadConverter } from '@temporalio/common';
import { AgentTokens } from '../../api/auth/agent-tokens.js';
import type { CredentialSettings } from '../../config/config.js';
import { emptyBaseline, type Baseline } from '../../risk/baseline.js';
import { learn } from '../../risk/learn.js';
import { decide } from '../../risk/decide.js';
import { assess } from '../../risk/score.js';
import { type ActionFacts } from '../../risk/types.js';
import { DEFAULT_POLICY, policyFor } from '../../risk/policy.js';
import { createPayloadCodec } from '../../vault/payload-codec.js';
import { mintGrant, verifyGrant } from '../../tokens/grants.js';
import { newSigningKeyRing, publicJwks } from '../../tokens/signing-keys.js';
import { generateKeySpec, parseKeyRing } from '../../vault/envelope.js';
import { generateTraces } from '../detector/generate-traces.js';
import { factsOfLine, timeOrder } from '../detector/replay.js';
import { fmtX, writeResult, type SummaryRow, type Target } from '../lib/report.js';
import { ratio } from '../lib/stats.js';
import type { Sizes } from './context.js';

export interface InProcessContext {
  sizes: Sizes;
  machine: Record<string, unknown>;
  log(line: string): void;
  summary: SummaryRow[];
}

/** Calls `op` back to back for `durationMs`; operations per second and µs per operation. */
async function rate(
  durationMs: number,
  op: (i: number) => unknown | Promise<unknown>,
): Promise<{ ops: number; seconds: number; perSecond: number; usPerOp: number }> {
  let i = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (let k = 0; k < 16; k++) await op(i++);
    now = performance.now();
  }
  const seconds = (now - start) / 1000;
  return {
    ops: i,
    seconds: Math.round(seconds * 1000) / 1000,
    perSecond: Math.round(i / seconds),
    usPerOp: Math.round((seconds / i) * 1e7) / 10,
  };
}

/** Alternates the measurements `reps` times and adds them up, so drift on a shared machine hits all alike. */
async function interleaved<K extends string>(reps: number, durationMs: number, ops: Record<K, (i: number) => unknown>) {
  const totals = {} as Record<K, { ops: number; seconds: number }>;
  for (let r = 0; r < reps; r++) {
    for (const [name, op] of Object.entries(ops) as [K, (i: number) => unknown][]) {
      const x = await rate(durationMs, op);
      const t = (totals[name] ??= { ops: 0, seconds: 0 });
      t.ops += x.ops;
      t.seconds += x.seconds;
    }
  }
  return Object.fromEntries(
    (Object.entries(totals) as [K, { ops: number; seconds: number }][]).map(([k, t]) => [
      k,
      {
        ops: t.ops,
        seconds: Math.round(t.seconds * 1000) / 1000,
        perSecond: Math.round(t.ops / t.seconds),
        usPerOp: Math.round((t.seconds / t.ops) * 1e7) / 10,
      },
    ]),
  ) as Record<K, { ops: number; seconds: number; perSecond: number; usPerOp: number }>;
}

export async function grantVerification(ctx: InProcessContext): Promise<Target[]> {
  const issuer = 'http://127.0.0.1:4000';
  const resource = 'https://crm.bench.example/';
  const ring = await newSigningKeyRing(new Date());
  const jwks = publicJwks(ring);
  const agentId = crypto.randomUUID();
  const { token } = await mintGrant({
    key: ring.current,
    issuer,
    resource,
    agentId,
    operations: ['read_customer'],
    ttlSeconds: 300,
    extra: {
      authorization_details: [
        {
          type: 'warden_action',
          action_id: crypto.randomUUID(),
          tool: 'bench-crm',
          operation: 'read_customer',
          resource_id: 'cust-1',
          max_volume: 1,
          max_amount: 0,
        },
      ],
    },
  });
  const bareKeySet = createLocalJWKSet(jwks);
  // The gateway's and AgentTokens' path, with the agent's session in the (warm) revocation cache.
  const session = { status: 'ACTIVE' as const, revokedBefore: null, revokedTokens: [] as string[], ownerEmail: null };
  const agentTokens = new AgentTokens(
    { jwks: async () => jwks } as never,
    { session: async () => session } as never,
    { issuer } as CredentialSettings,
  );
  // Correctness first: each verifier accepts the grant.
  await verifyGrant(token, { jwks, issuer, resource, requiredOperation: 'read_customer' });
  await agentTokens.verifyGrant(token, resource, 'read_customer');
  await jwtVerify(token, bareKeySet, { algorithms: ['ES256'] });

  ctx.log("grant verification: in-process, interleaved with jose's bare jwtVerify");
  const ops = {
    joseJwtVerify: () =>
      jwtVerify(token, bareKeySet, { algorithms: ['ES256'], issuer, audience: resource, typ: 'at+jwt' }),
    wardenVerifyGrant: () => verifyGrant(token, { jwks, issuer, resource, requiredOperation: 'read_customer' }),
    wardenVerifyGrantWithRevocationCheck: () => agentTokens.verifyGrant(token, resource, 'read_customer'),
  };
  for (const op of Object.values(ops)) for (let i = 0; i < 200; i++) await op(); // warm-up
  const r = await interleaved(3, ctx.sizes.inProcessMs / 2, ops);
  const ratios = {
    wardenOverJose: ratio(r.wardenVerifyGrant.perSecond, r.joseJwtVerify.perSecond),
    wardenWithRevocationOverJose: ratio(r.wardenVerifyGrantWithRevocationCheck.perSecond, r.joseJwtVerify.perSecond),
  };
  const file = writeResult('grant-verification', {
    benchmark: 'grant-verification',
    machine: ctx.machine,
    method: {
      what: 'verifying one Warden grant (ES256, at+jwt, one audience, RFC 9396 authorization_details) in-process, sequentially, single thread',
      baseline:
        'jose jwtVerify of the same token, same key set (createLocalJWKSet, built once), ES256 pinned, with iss/aud/typ',
      wardenVerifyGrant:
        'tokens/grants.ts verifyGrant: size/shape/header checks, jose, exactly one audience, iat/jti/lifetime, scope includes the operation',
      wardenVerifyGrantWithRevocationCheck:
        "api/auth/agent-tokens.ts verifyGrant: the above + the agent's state and revocation point from the API's cache (warm; a miss is one Temporal query per WARDEN_REVOCATION_CACHE per agent)",
      interleaving: '3 alternations of every verifier',
    },
    results: r,
    ratios,
  });
  ctx.log(`grant verification → ${file}`);
  ctx.summary.push(
    {
      benchmark: 'grant-verification',
      figure: 'verifyGrant /s',
      value: `${r.wardenVerifyGrant.perSecond}/s`,
      baseline: `jose ${r.joseJwtVerify.perSecond}/s`,
      ratio: fmtX(ratios.wardenOverJose),
    },
    {
      benchmark: 'grant-verification',
      figure: '+ revocation check /s',
      value: `${r.wardenVerifyGrantWithRevocationCheck.perSecond}/s`,
      baseline: `jose ${r.joseJwtVerify.perSecond}/s`,
      ratio: fmtX(ratios.wardenWithRevocationOverJose),
    },
  );
  return [];
}

export async function scoring(ctx: InProcessContext): Promise<Target[]> {
  const policy = policyFor(DEFAULT_POLICY, null);
  // Six weeks of synthetic routine work (bench/detector's seeded generator): learn the first five, score the sixth.
  const lines = generateTraces({ seed: 7, agentsPerArchetype: 2, days: 42, anomalies: false });
  const order = timeOrder(lines);
  const firstAt = Date.parse(lines[order[0]!]!.time);
  const cut = firstAt + 35 * 86_400_000;
  const baselines = new Map<string, Baseline>();
  const probes: { baseline: Baseline; facts: ActionFacts }[] = [];
  for (const i of order) {
    const l = lines[i]!;
    const facts = factsOfLine(l);
    if (facts.at < cut) baselines.set(l.agent, learn(baselines.get(l.agent) ?? emptyBaseline(), facts, policy));
    else probes.push({ baseline: baselines.get(l.agent) ?? emptyBaseline(), facts });
  }
  const sizes = [...baselines.values()].map((b) => JSON.stringify(b).length);
  const baselineBytes = { mean: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length), max: Math.max(...sizes) };

  const ring = await newSigningKeyRing(new Date());
  const codec = createPayloadCodec(parseKeyRing(generateKeySpec('bench')));
  const profileOf = (b: Baseline) => ({ profile: { baseline: b, policy: null }, action: { id: 'x' } });
  ctx.log(
    `scoring: ${probes.length} requests of ${baselines.size} agents against six-week baselines (mean ${baselineBytes.mean} B of JSON)`,
  );
  const ops = {
    es256GrantSignature: () =>
      mintGrant({
        key: ring.current,
        issuer: 'http://127.0.0.1:4000',
        resource: 'https://crm.bench.example/',
        agentId: 'a',
        operations: ['read_customer'],
        ttlSeconds: 300,
      }),
    assessAndDecide: (i: number) => {
      const p = probes[i % probes.length]!;
      return decide(assess(p.baseline, p.facts, policy), p.facts, policy);
    },
    learn: (i: number) => {
      const p = probes[i % probes.length]!;
      return learn(p.baseline, p.facts, policy);
    },
    /** A sensitive action's workflow input carries the agent's baseline: payload conversion + codec. */
    encodeProfile: async (i: number) => {
      const p = probes[i % probes.length]!;
      return codec.encode([defaultPayloadConverter.toPayload(profileOf(p.baseline))]);
    },
  };
  for (const op of Object.values(ops)) for (let i = 0; i < 200; i++) await op(i);
  const r = await interleaved(3, ctx.sizes.inProcessMs / 2, ops);
  const ratios = {
    assessAndDecideOverGrantSignature: ratio(r.assessAndDecide.usPerOp, r.es256GrantSignature.usPerOp),
    learnOverGrantSignature: ratio(r.learn.usPerOp, r.es256GrantSignature.usPerOp),
    encodeProfileOverGrantSignature: ratio(r.encodeProfile.usPerOp, r.es256GrantSignature.usPerOp),
  };
  const file = writeResult('scoring', {
    benchmark: 'scoring',
    machine: ctx.machine,
    method: {
      what: 'risk scoring per request, in-process, single thread: assess + decide (risk/), and learn (the baseline update after an ALLOW)',
      data: `bench/detector generator (seed 7, 2 agents per archetype, 42 days, no anomalies): learn days 1–35, score the ${probes.length} requests of days 36–42 against the frozen baselines`,
      baseline: 'one ES256 grant signature (tokens/grants.ts mintGrant), which every ALLOW pays anyway',
      encodeProfile:
        "a sensitive action's workflow input carries {baseline, policy}, the decision context the API read (it went on to a scoring local activity until decisions were made in workflow code): defaultPayloadConverter.toPayload + Warden's AES-GCM codec, paid by the API at the start and undone by the worker",
      interleaving: '3 alternations',
    },
    baselineJsonBytes: baselineBytes,
    results: r,
    ratios,
  });
  ctx.log(`scoring → ${file}`);
  ctx.summary.push(
    {
      benchmark: 'scoring',
      figure: 'assess+decide per request',
      value: `${r.assessAndDecide.usPerOp} µs`,
      baseline: `ES256 sign ${r.es256GrantSignature.usPerOp} µs`,
      ratio: fmtX(ratios.assessAndDecideOverGrantSignature),
    },
    {
      benchmark: 'scoring',
      figure: 'learn per request',
      value: `${r.learn.usPerOp} µs`,
      baseline: `ES256 sign ${r.es256GrantSignature.usPerOp} µs`,
      ratio: fmtX(ratios.learnOverGrantSignature),
    },
    {
      benchmark: 'scoring',
      figure: 'encode baseline (workflow input)',
      value: `${r.encodeProfile.usPerOp} µs`,
      baseline: `ES256 sign ${r.es256GrantSignature.usPerOp} µs`,
      ratio: fmtX(ratios.encodeProfileOverGrantSignature),
    },
  );
  return [];
}
