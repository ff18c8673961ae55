/**
 * Property-based GraphQL fuzzing (fast-check, operations generated from schema.graphql): for every role —
 * admin, security, two owners, a person with no role, an agent — a bounded number of generated queries
 * (and, for the roles that must not be able to change much, mutations) run against the real API. For
 * each one: no server error (no 5xx, no INTERNAL_SERVER_ERROR, no UNAVAILABLE, no stack trace), every
 * error with a documented code, and no data about an agent or action the caller may not see.
 *
 * The seed changes every run (WARDEN_FUZZ_SEED repeats one); a failure prints the seed and the shrunk
 * operation. WARDEN_FUZZ_RUNS sets the runs per role and operation type (default 40).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/config.js';
import { operationArb, type GeneratedOperation, type Pools } from './graphql-arbitrary.js';
import { startWorld, type World } from './world.js';

const RUNS = Number(process.env.WARDEN_FUZZ_RUNS ?? 40);
const SEED = Number(process.env.WARDEN_FUZZ_SEED ?? Date.now() % 2 ** 31);
const CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
]);
const schema = buildSchema(fs.readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8'));

let w: World;
let pools: Pools;
let hidden: Record<string, string[]>;
let tokens: Record<string, () => Promise<string>>;
const counts: Record<string, number> = {};
const outcomes: Record<string, number> = {};

beforeAll(async () => {
  w = await startWorld();
  const heldA = await w.heldAction('ownerA');
  const heldB = await w.heldAction('ownerB');
  const agentNames = async (id: string) => (await w.stack.api.services.agents.get(id)).name;
  pools = {
    ids: [w.agentA.id, w.agentB.id, heldA.id, heldB.id, heldA.agent.id, heldB.agent.id, w.crm, w.bank.name],
    emails: Object.values(w.people),
    names: [w.crm, w.bank.name, 'read_customer', 'transfer', await agentNames(w.agentB.id)],
  };
  const ofA = [w.agentA.id, heldA.id, heldA.agent.id, await agentNames(w.agentA.id), await agentNames(heldA.agent.id)];
  const ofB = [w.agentB.id, heldB.id, heldB.agent.id, await agentNames(w.agentB.id), await agentNames(heldB.agent.id)];
  // What each caller must never get data about: other owners' agents and actions (for an agent: everything but itself).
  hidden = {
    ownerA: ofB,
    ownerB: ofA,
    stranger: [...ofA, ...ofB],
    // The agent is agent B (its owner fuzzes no mutations, so nothing suspends it midway).
    agent: [w.agentA.id, heldA.id, heldA.agent.id, heldB.id, heldB.agent.id, ofA[3]!, ofA[4]!, ofB[4]!],
    admin: [],
    security: [],
  };
  tokens = {
    admin: async () => w.tokens.admin,
    security: async () => w.tokens.security,
    ownerA: async () => w.tokens.ownerA,
    ownerB: async () => w.tokens.ownerB,
    stranger: async () => w.tokens.stranger,
    agent: () => w.agentB.token(),
  };
}, 180_000);
afterAll(async () => {
  console.log(
    `graphql fuzz (seed ${SEED}): ${Object.entries(counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(
        ', ',
      )} — ${Object.values(counts).reduce((a, b) => a + b, 0)} operations; outcomes ${JSON.stringify(outcomes)}`,
  );
  await w?.stop();
});

async function run(role: string, op: GeneratedOperation): Promise<void> {
  counts[`${role} ${op.root}`] = (counts[`${role} ${op.root}`] ?? 0) + 1;
  const res = await fetch(w.stack.api.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${await tokens[role]!()}`,
    },
    body: JSON.stringify({ query: op.query, variables: op.variables }),
  });
  const text = await res.text();
  expect(res.status, `HTTP ${res.status} for ${op.query}`).toBeLessThan(500);
  const body = JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  for (const e of body.errors ?? []) {
    expect(
      CODES.has(e.extensions?.code ?? ''),
      `${e.extensions?.code}: ${e.message} — for ${op.query} ${JSON.stringify(op.variables).slice(0, 300)}`,
    ).toBe(true);
    expect(e.message).not.toMatch(/\n\s+at |node_modules|Unexpected error/);
  }
  const outcome = body.errors?.length ? (body.errors[0]!.extensions?.code ?? 'no code') : 'data';
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  const data = JSON.stringify(body.data ?? null);
  for (const secret of hidden[role]!)
    expect(data.includes(secret), `${role} got data about ${secret} from ${op.query}`).toBe(false);
}

const property = (role: string, root: 'query' | 'mutation', only?: string[]) =>
  fc.assert(
    fc.asyncProperty(operationArb(schema, root, pools, only), (op) => run(role, op)),
    { numRuns: RUNS, seed: SEED, endOnFailure: false, interruptAfterTimeLimit: 120_000 },
  );

describe('property-based GraphQL fuzzing: no server error, no data another owner may see', () => {
  it.each(['admin', 'security', 'ownerA', 'ownerB', 'stranger', 'agent'])(
    'generated queries as %s',
    async (role) => property(role, 'query'),
    180_000,
  );

  // Mutations only for callers who may change little: what they are allowed stays theirs, and what they
  // are not is refused. (An admin's random mutations could legitimately hand one owner's agent to another.)
  it.each(['ownerA', 'stranger', 'agent'])(
    'generated mutations as %s',
    async (role) => property(role, 'mutation'),
    180_000,
  );

  it('ran what it says', () => {
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(9 * RUNS);
  });
});
