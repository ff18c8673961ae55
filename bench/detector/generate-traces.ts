/* eslint-disable max-lines -- one seeded generator; every scenario draws from one random stream, in order. */
/**
 * Seeded synthetic traces of agent requests, with injected anomalies, for measuring the detector.
 * Format: bench/detector/README.md. Deterministic: the same options give the same lines.
 *
 *   tsx bench/detector/generate-traces.ts [--seed 1] [--agents 4] [--days 42] [--no-anomalies] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Sensitivity } from '../../risk/types.js';

export const ANOMALY_KINDS = ['bulk_volume', 'new_tool', 'odd_sequence', 'burst', 'odd_context', 'drift'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
export type Label = 'normal' | AnomalyKind;
export const ARCHETYPES = ['support', 'supply_chain', 'coding', 'finance'] as const;
export type Archetype = (typeof ARCHETYPES)[number];

/** One request (one JSON line). */
export interface TraceLine {
  /** ISO 8601, UTC. */
  time: string;
  agent: string;
  archetype: string;
  platform: string;
  tool: string;
  /** The tool's resource URI (grant audience). Optional in files: defaults to https://<tool>.example.com/. */
  toolResource?: string;
  operation: string;
  sensitivity: Sensitivity;
  volume: number;
  amount: number;
  context: Record<string, string>;
  label: Label;
  /** Groups the lines of one injected anomaly; null for normal lines. */
  incident: string | null;
}

export interface GenerateOptions {
  seed?: number;
  /** Agents per archetype. */
  agentsPerArchetype?: number;
  days?: number;
  /** First day (UTC midnight), ISO. Default Monday 2025-03-03. */
  start?: string;
  /** Inject anomalies (default true). */
  anomalies?: boolean;
  /** No anomaly starts before this day (default 9: after the default warm-up). */
  firstAnomalyDay?: number;
}

// ------------------------------------------------------------------------------------------------ PRNG

/** mulberry32: a small, fast, seedable 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashSeed(...parts: Array<number | string>): number {
  let h = 2166136261 >>> 0;
  for (const p of parts) {
    const s = String(p);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ 0x9e3779b9, 16777619) >>> 0;
  }
  return h;
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  uniform(a = 0, b = 1): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return Math.floor(this.uniform(a, b + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.min(items.length - 1, Math.floor(this.next() * items.length))]!;
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r <= 0) return v;
    }
    return items[items.length - 1]![0];
  }
}

// ------------------------------------------------------------------------------------------ archetypes

interface OpDef {
  sens: Sensitivity;
  /** Median and log-sigma of the volume. */
  vol: readonly [number, number];
  /** Median and log-sigma of the amount (money), if the operation moves money. */
  amt?: readonly [number, number];
  /** Relative frequency (for benign "noise" steps). */
  w: number;
}

interface NewToolDef {
  tool: string;
  resource: string;
  op: string;
  sens: Sensitivity;
  vol: number;
  amt?: readonly [number, number];
  /** A normal operation that precedes it (the agent was doing something ordinary). */
  after: string;
}

interface ArchetypeSpec {
  platform: string;
  resources: Record<string, string>;
  ops: Record<string, OpDef>;
  /** Markov chain of a session: '^' = start, '$' = end. */
  chain: Record<string, ReadonlyArray<readonly [string, number]>>;
  hours: readonly number[];
  weekend: number;
  sessionsPerDay: number;
  /** Seconds between steps of a session: median, log-sigma. */
  gap: readonly [number, number];
  humans: number;
  newHumanEveryDays: number;
  batch?: {
    hour: number;
    op: string;
    count: readonly [number, number];
    gapSec: readonly [number, number];
    weekdaysOnly: boolean;
  };
  rollout?: { op: string; days: readonly [number, number] };
  monthEnd?: boolean;
  anomalies: {
    bulk: ReadonlyArray<{ op: string; field: 'volume' | 'amount'; factor: readonly [number, number] }>;
    newTool: readonly NewToolDef[];
    oddSequence: ReadonlyArray<readonly [string, string]>;
    burstOps: readonly string[];
    drift: { op: string; field: 'volume' | 'amount' };
    inactiveHours: readonly number[];
  };
}

function hoursProfile(core: [number, number], shoulder: number[], peaks: number[] = [], background = 0.004): number[] {
  return Array.from({ length: 24 }, (_, h) => {
    if (h >= core[0] && h <= core[1]) return peaks.includes(h) ? 1.4 : 1;
    if (shoulder.includes(h)) return 0.15;
    return background;
  });
}

const SPECS: Record<Archetype, ArchetypeSpec> = {
  support: {
    platform: 'vertex-ai',
    resources: {
      tickets: 'https://tickets.example.com/',
      crm: 'https://crm.example.com/',
      payments: 'https://payments.example.com/',
      kb: 'https://kb.example.com/',
    },
    ops: {
      'tickets:read_ticket': { sens: 'LOW', vol: [1, 0.1], w: 30 },
      'crm:read_customer': { sens: 'MEDIUM', vol: [1, 0.35], w: 25 },
      'crm:search_customers': { sens: 'MEDIUM', vol: [8, 0.8], w: 4 },
      'crm:update_customer': { sens: 'MEDIUM', vol: [1, 0.1], w: 4 },
      'payments:issue_refund': { sens: 'HIGH', vol: [1, 0.1], amt: [40, 0.8], w: 1 },
      'tickets:update_ticket': { sens: 'LOW', vol: [1, 0.1], w: 25 },
      'tickets:close_ticket': { sens: 'LOW', vol: [1, 0.1], w: 15 },
      'kb:search': { sens: 'LOW', vol: [5, 0.6], w: 5 },
    },
    chain: {
      '^': [
        ['tickets:read_ticket', 0.95],
        ['crm:search_customers', 0.05],
      ],
      'tickets:read_ticket': [
        ['crm:read_customer', 0.7],
        ['kb:search', 0.12],
        ['tickets:update_ticket', 0.18],
      ],
      'crm:read_customer': [
        ['tickets:update_ticket', 0.55],
        ['crm:search_customers', 0.1],
        ['crm:update_customer', 0.15],
        ['payments:issue_refund', 0.05],
        ['crm:read_customer', 0.15],
      ],
      'crm:search_customers': [
        ['crm:read_customer', 0.7],
        ['tickets:update_ticket', 0.3],
      ],
      'crm:update_customer': [['tickets:update_ticket', 1]],
      'payments:issue_refund': [['tickets:update_ticket', 1]],
      'kb:search': [
        ['tickets:update_ticket', 0.6],
        ['crm:read_customer', 0.4],
      ],
      'tickets:update_ticket': [
        ['tickets:close_ticket', 0.6],
        ['$', 0.4],
      ],
      'tickets:close_ticket': [['$', 1]],
    },
    hours: hoursProfile([7, 21], [6, 22], [9, 10, 11, 14, 15, 16]),
    weekend: 0.5,
    sessionsPerDay: 40,
    gap: [20, 0.8],
    humans: 10,
    newHumanEveryDays: 12,
    rollout: { op: 'kb:search', days: [16, 24] },
    anomalies: {
      bulk: [
        { op: 'crm:read_customer', field: 'volume', factor: [2000, 20000] },
        { op: 'crm:search_customers', field: 'volume', factor: [200, 2000] },
      ],
      newTool: [
        {
          tool: 'hr',
          resource: 'https://hr.example.com/',
          op: 'export_employees',
          sens: 'HIGH',
          vol: 300,
          after: 'tickets:read_ticket',
        },
        {
          tool: 'banking',
          resource: 'https://bank.example.com/',
          op: 'transfer',
          sens: 'CRITICAL',
          vol: 1,
          amt: [9000, 0.5],
          after: 'crm:read_customer',
        },
        {
          tool: 'secrets',
          resource: 'https://vault.example.com/',
          op: 'read_secret',
          sens: 'HIGH',
          vol: 1,
          after: 'tickets:read_ticket',
        },
      ],
      oddSequence: [['tickets:read_ticket', 'payments:issue_refund']],
      burstOps: ['crm:read_customer', 'tickets:read_ticket'],
      drift: { op: 'crm:search_customers', field: 'volume' },
      inactiveHours: [2, 3, 4],
    },
  },
  supply_chain: {
    platform: 'bedrock',
    resources: { erp: 'https://erp.example.com/', logistics: 'https://logistics.example.com/' },
    ops: {
      'erp:read_invoice': { sens: 'MEDIUM', vol: [1, 0.2], w: 20 },
      'erp:read_inventory': { sens: 'LOW', vol: [20, 0.6], w: 15 },
      'erp:update_inventory': { sens: 'MEDIUM', vol: [12, 0.8], w: 25 },
      'erp:settle_invoice': { sens: 'HIGH', vol: [1, 0.1], amt: [2500, 0.7], w: 3 },
      'erp:create_po': { sens: 'MEDIUM', vol: [5, 0.5], amt: [8000, 0.6], w: 3 },
      'logistics:track_shipment': { sens: 'LOW', vol: [1, 0.3], w: 8 },
    },
    chain: {
      '^': [
        ['erp:read_invoice', 0.5],
        ['erp:read_inventory', 0.3],
        ['logistics:track_shipment', 0.2],
      ],
      'erp:read_invoice': [
        ['erp:read_inventory', 0.35],
        ['erp:update_inventory', 0.3],
        ['erp:settle_invoice', 0.1],
        ['erp:read_invoice', 0.15],
        ['$', 0.1],
      ],
      'erp:read_inventory': [
        ['erp:update_inventory', 0.5],
        ['erp:create_po', 0.12],
        ['$', 0.38],
      ],
      'erp:update_inventory': [
        ['erp:update_inventory', 0.3],
        ['erp:read_inventory', 0.15],
        ['$', 0.55],
      ],
      'erp:settle_invoice': [
        ['erp:read_invoice', 0.3],
        ['$', 0.7],
      ],
      'erp:create_po': [['$', 1]],
      'logistics:track_shipment': [
        ['erp:update_inventory', 0.3],
        ['$', 0.7],
      ],
    },
    hours: hoursProfile([6, 17], [5, 18], [8, 9, 10, 13, 14]),
    weekend: 0.2,
    sessionsPerDay: 30,
    gap: [30, 0.8],
    humans: 3,
    newHumanEveryDays: 30,
    batch: { hour: 6, op: 'erp:update_inventory', count: [10, 30], gapSec: [10, 30], weekdaysOnly: true },
    anomalies: {
      bulk: [
        { op: 'erp:read_invoice', field: 'volume', factor: [3000, 30000] },
        { op: 'erp:update_inventory', field: 'volume', factor: [200, 2000] },
      ],
      newTool: [
        // The reference story: after reading an invoice, a wire transfer to a banking API it never used.
        {
          tool: 'banking',
          resource: 'https://bank.example.com/',
          op: 'transfer',
          sens: 'CRITICAL',
          vol: 1,
          amt: [250_000, 1.0],
          after: 'erp:read_invoice',
        },
        {
          tool: 'banking',
          resource: 'https://bank.example.com/',
          op: 'add_payee',
          sens: 'HIGH',
          vol: 1,
          after: 'erp:read_invoice',
        },
      ],
      oddSequence: [['erp:read_inventory', 'erp:settle_invoice']],
      burstOps: ['erp:read_invoice', 'erp:read_inventory'],
      drift: { op: 'erp:update_inventory', field: 'volume' },
      inactiveHours: [0, 1, 2, 3, 21, 22, 23],
    },
  },
  coding: {
    platform: 'claude-code',
    resources: {
      github: 'https://api.github.com/',
      ci: 'https://ci.example.com/',
      deploy: 'https://deploy.example.com/',
    },
    ops: {
      'github:read_repo': { sens: 'LOW', vol: [6, 1.0], w: 30 },
      'github:push_commit': { sens: 'MEDIUM', vol: [3, 0.8], w: 15 },
      'github:open_pr': { sens: 'LOW', vol: [1, 0.1], w: 4 },
      'github:merge_pr': { sens: 'HIGH', vol: [1, 0.1], w: 1.5 },
      'ci:run_tests': { sens: 'LOW', vol: [1, 0.1], w: 15 },
      'ci:read_logs': { sens: 'LOW', vol: [200, 1.0], w: 8 },
      'deploy:deploy_staging': { sens: 'MEDIUM', vol: [1, 0.1], w: 1 },
      'deploy:deploy_prod': { sens: 'HIGH', vol: [1, 0.1], w: 0.3 },
    },
    chain: {
      '^': [
        ['github:read_repo', 0.9],
        ['ci:run_tests', 0.1],
      ],
      'github:read_repo': [
        ['github:read_repo', 0.4],
        ['github:push_commit', 0.45],
        ['$', 0.15],
      ],
      'github:push_commit': [
        ['ci:run_tests', 0.7],
        ['github:push_commit', 0.2],
        ['github:open_pr', 0.1],
      ],
      'ci:run_tests': [
        ['ci:read_logs', 0.4],
        ['github:open_pr', 0.25],
        ['github:push_commit', 0.25],
        ['$', 0.1],
      ],
      'ci:read_logs': [
        ['github:push_commit', 0.6],
        ['$', 0.4],
      ],
      'github:open_pr': [
        ['github:merge_pr', 0.3],
        ['$', 0.7],
      ],
      'github:merge_pr': [
        ['deploy:deploy_staging', 0.6],
        ['$', 0.4],
      ],
      'deploy:deploy_staging': [
        ['ci:run_tests', 0.5],
        ['deploy:deploy_prod', 0.2],
        ['$', 0.3],
      ],
      'deploy:deploy_prod': [['$', 1]],
    },
    hours: hoursProfile([8, 19], [7, 20, 21], [10, 11, 14, 15, 16]),
    weekend: 0.1,
    sessionsPerDay: 15,
    gap: [45, 1.0],
    humans: 4,
    newHumanEveryDays: 40,
    batch: { hour: 2, op: 'ci:run_tests', count: [5, 15], gapSec: [20, 60], weekdaysOnly: false },
    anomalies: {
      bulk: [
        { op: 'github:read_repo', field: 'volume', factor: [500, 5000] },
        { op: 'ci:read_logs', field: 'volume', factor: [200, 2000] },
      ],
      newTool: [
        {
          tool: 'secrets',
          resource: 'https://vault.example.com/',
          op: 'read_secret',
          sens: 'HIGH',
          vol: 1,
          after: 'github:read_repo',
        },
        {
          tool: 'prod-db',
          resource: 'https://db.example.com/',
          op: 'dump',
          sens: 'CRITICAL',
          vol: 1,
          after: 'github:read_repo',
        },
        {
          tool: 'iam',
          resource: 'https://iam.example.com/',
          op: 'create_access_key',
          sens: 'CRITICAL',
          vol: 1,
          after: 'ci:run_tests',
        },
      ],
      oddSequence: [['github:read_repo', 'deploy:deploy_prod']],
      burstOps: ['github:read_repo'],
      drift: { op: 'github:read_repo', field: 'volume' },
      inactiveHours: [3, 4, 5],
    },
  },
  finance: {
    platform: 'vertex-ai',
    resources: {
      erp: 'https://erp.example.com/',
      banking: 'https://bank.example.com/',
      reports: 'https://reports.example.com/',
    },
    ops: {
      'erp:read_invoice': { sens: 'MEDIUM', vol: [1, 0.1], w: 20 },
      'erp:approve_payment': { sens: 'HIGH', vol: [1, 0.1], amt: [12_000, 0.8], w: 10 },
      'banking:get_balance': { sens: 'MEDIUM', vol: [1, 0.1], w: 6 },
      'banking:transfer': { sens: 'CRITICAL', vol: [1, 0.1], amt: [15_000, 0.8], w: 6 },
      'banking:create_vendor': { sens: 'HIGH', vol: [1, 0.1], w: 0.3 },
      'reports:generate_report': { sens: 'LOW', vol: [200, 0.7], w: 4 },
    },
    chain: {
      '^': [
        ['erp:read_invoice', 0.6],
        ['banking:get_balance', 0.2],
        ['reports:generate_report', 0.19],
        ['banking:create_vendor', 0.01],
      ],
      'erp:read_invoice': [
        ['erp:read_invoice', 0.3],
        ['erp:approve_payment', 0.5],
        ['$', 0.2],
      ],
      'erp:approve_payment': [
        ['banking:transfer', 0.6],
        ['erp:read_invoice', 0.2],
        ['$', 0.2],
      ],
      'banking:get_balance': [
        ['banking:transfer', 0.3],
        ['reports:generate_report', 0.3],
        ['$', 0.4],
      ],
      'banking:transfer': [
        ['banking:transfer', 0.2],
        ['banking:get_balance', 0.3],
        ['$', 0.5],
      ],
      'reports:generate_report': [
        ['$', 0.8],
        ['banking:get_balance', 0.2],
      ],
      'banking:create_vendor': [['erp:read_invoice', 1]],
    },
    hours: hoursProfile([8, 17], [7, 18], [9, 10, 14, 15], 0.002),
    weekend: 0.05,
    sessionsPerDay: 14,
    gap: [60, 0.9],
    humans: 5,
    newHumanEveryDays: 25,
    monthEnd: true,
    anomalies: {
      bulk: [
        { op: 'banking:transfer', field: 'amount', factor: [100, 1000] },
        { op: 'reports:generate_report', field: 'volume', factor: [300, 3000] },
      ],
      newTool: [
        {
          tool: 'crm',
          resource: 'https://crm.example.com/',
          op: 'export_customers',
          sens: 'HIGH',
          vol: 5000,
          after: 'reports:generate_report',
        },
        {
          tool: 'iam',
          resource: 'https://iam.example.com/',
          op: 'create_access_key',
          sens: 'CRITICAL',
          vol: 1,
          after: 'banking:get_balance',
        },
        {
          tool: 'crypto',
          resource: 'https://exchange.example.com/',
          op: 'withdraw',
          sens: 'CRITICAL',
          vol: 1,
          amt: [80_000, 0.5],
          after: 'banking:get_balance',
        },
      ],
      oddSequence: [['erp:read_invoice', 'banking:transfer']],
      burstOps: ['erp:read_invoice', 'banking:get_balance'],
      drift: { op: 'banking:transfer', field: 'amount' },
      inactiveHours: [0, 1, 2, 3, 4, 21, 22, 23],
    },
  },
};

const FIRST_NAMES = [
  'ana',
  'ben',
  'chen',
  'dara',
  'eli',
  'fatima',
  'goran',
  'hana',
  'ivan',
  'jun',
  'kofi',
  'lena',
  'mateo',
  'nia',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'sami',
  'tara',
  'uma',
  'vik',
  'wen',
  'yara',
  'zoe',
];
const ATTACK_NETWORKS = ['203.0.113.0/24', '198.51.100.0/24', '185.220.101.0/24', '45.155.205.0/24'];

// ------------------------------------------------------------------------------------------- generator

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface AgentPlan {
  name: string;
  archetype: Archetype;
  spec: ArchetypeSpec;
  index: number;
  scale: number;
  networks: string[];
  migration: { day: number; network: string } | null;
  humans: Array<{ email: string; joinDay: number; weight: number }>;
  userAgent: { base: string; upgradeDay: number };
  rolloutDay: number;
  drift: { start: number; end: number; id: string } | null;
}

interface RawLine {
  t: number;
  agent: AgentPlan;
  key: string;
  tool?: string;
  resource?: string;
  sens?: Sensitivity;
  volume: number;
  amount: number;
  context: Record<string, string>;
  label: Label;
  incident: string | null;
  seq: number;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}

function isWeekend(t: number): boolean {
  const d = new Date(t).getUTCDay();
  return d === 0 || d === 6;
}

/** Last two weekdays of the month. */
function isMonthEnd(t: number): boolean {
  const d = new Date(t);
  let weekdaysAfter = 0;
  for (
    let x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
    x.getUTCMonth() === d.getUTCMonth();
    x = new Date(x.getTime() + DAY)
  ) {
    if (x.getUTCDay() !== 0 && x.getUTCDay() !== 6) weekdaysAfter++;
  }
  return !isWeekend(t) && weekdaysAfter < 2;
}

export function generateTraces(options: GenerateOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const perArchetype = options.agentsPerArchetype ?? 4;
  const days = options.days ?? 42;
  const start = Date.parse(options.start ?? '2025-03-03T00:00:00Z');
  const withAnomalies = options.anomalies ?? true;
  const firstAnomalyDay = options.firstAnomalyDay ?? 9;
  const lines: RawLine[] = [];
  let seq = 0;
  let incidentCounter = 0;

  const plans: AgentPlan[] = [];
  ARCHETYPES.forEach((archetype, ai) => {
    for (let i = 0; i < perArchetype; i++) {
      const rng = new Rng(hashSeed(seed, archetype, i, 'plan'));
      const spec = SPECS[archetype];
      const name = `${archetype.replace('_', '-')}-${i + 1}`;
      const networks = [`10.${20 + ai}.${i + 1}.0/24`];
      if (rng.chance(0.5)) networks.push(`10.${20 + ai}.${100 + i}.0/24`);
      const humans = Array.from({ length: spec.humans }, (_, h) => ({
        email: `${rng.pick(FIRST_NAMES)}.${archetype.slice(0, 3)}${i + 1}${h}@example.com`,
        joinDay: 0,
        weight: 1 / (h + 1),
      }));
      for (
        let d = rng.uniform(0.5, 1.5) * spec.newHumanEveryDays;
        d < days;
        d += rng.uniform(0.5, 1.5) * spec.newHumanEveryDays
      ) {
        humans.push({
          email: `${rng.pick(FIRST_NAMES)}.new${humans.length}.${archetype.slice(0, 3)}${i + 1}@example.com`,
          joinDay: Math.floor(d),
          weight: 0.4,
        });
      }
      plans.push({
        name,
        archetype,
        spec,
        index: i,
        scale: rng.uniform(0.7, 1.4),
        networks,
        // One benign infrastructure move in the set: the second supply-chain agent changes subnet.
        migration:
          archetype === 'supply_chain' && i === 1 && days > 30
            ? { day: 24, network: `10.${40 + ai}.${i + 1}.0/24` }
            : null,
        humans,
        userAgent: {
          base: `${archetype.replace('_', '-')}-agent/2.${rng.int(1, 6)}`,
          upgradeDay: rng.int(10, Math.max(11, days - 5)),
        },
        rolloutDay: spec.rollout ? rng.int(spec.rollout.days[0], spec.rollout.days[1]) : 0,
        drift: null,
      });
    }
  });

  /** When each person's current task with the agent ends (a person delegates one task at a time). */
  const busyUntil = new Map<string, number>();
  const normalContext = (p: AgentPlan, t: number, rng: Rng, forSession = false): Record<string, string> => {
    const day = Math.floor((t - start) / DAY);
    let network = p.networks.length > 1 && rng.chance(0.1) ? p.networks[1]! : p.networks[0]!;
    if (p.migration && day >= p.migration.day) network = p.migration.network;
    const active = p.humans.filter((h) => h.joinDay <= day);
    const free = forSession ? active.filter((h) => (busyUntil.get(`${p.name}/${h.email}`) ?? 0) <= t) : active;
    const human = rng.weighted((free.length ? free : active).map((h) => [h.email, h.weight] as const));
    const [prefix, minor] = p.userAgent.base.split('/2.');
    const ua = day >= p.userAgent.upgradeDay ? `${prefix}/2.${Number(minor) + 1}` : p.userAgent.base;
    return { sourceNetwork: network, onBehalfOf: human, userAgent: ua };
  };

  const sample = (p: AgentPlan, key: string, t: number, rng: Rng): { volume: number; amount: number } => {
    const op = p.spec.ops[key]!;
    let volume = Math.max(1, Math.round(rng.lognormal(op.vol[0] * (op.vol[0] > 1 ? p.scale : 1), op.vol[1])));
    if (rng.chance(0.005)) volume = Math.round(volume * rng.uniform(2, 5)); // benign heavy tail
    let amount = 0;
    if (op.amt) {
      amount = rng.lognormal(op.amt[0] * p.scale, op.amt[1]);
      if (p.spec.monthEnd && isMonthEnd(t)) amount *= 1.5;
      amount = Math.round(amount * 100) / 100;
    }
    return { volume, amount };
  };

  const push = (
    p: AgentPlan,
    t: number,
    key: string,
    rng: Rng,
    context: Record<string, string>,
    over: Partial<RawLine> = {},
  ) => {
    const s = sample(p, key, t, rng);
    lines.push({
      t: Math.round(t),
      agent: p,
      key,
      ...s,
      context: { ...context },
      label: 'normal',
      incident: null,
      seq: seq++,
      ...over,
    });
  };

  const available = (p: AgentPlan, key: string, day: number) =>
    !(p.spec.rollout && p.spec.rollout.op === key && day < p.rolloutDay);

  /**
   * One session (a task for one person) from the archetype's chain. With a small chance a step leaves
   * the chain for another LOW or MEDIUM operation (benign variety); HIGH and CRITICAL operations only
   * happen where the business process puts them.
   */
  const session = (p: AgentPlan, t0: number, rng: Rng) => {
    const day = Math.floor((t0 - start) / DAY);
    const context = normalContext(p, t0, rng, true);
    const busyKey = `${p.name}/${context.onBehalfOf}`;
    let state = '^';
    let t = t0;
    for (let step = 0; step < 25; step++) {
      busyUntil.set(busyKey, t + 60_000);
      let next: string;
      if (state !== '^' && rng.chance(0.01)) {
        next = rng.weighted(
          Object.entries(p.spec.ops)
            .filter(([k, o]) => available(p, k, day) && (o.sens === 'LOW' || o.sens === 'MEDIUM'))
            .map(([k, o]) => [k, o.w] as const),
        );
      } else {
        const options = (p.spec.chain[state] ?? [['$', 1]]).filter(([k]) => k === '$' || available(p, k, day));
        next = rng.weighted(options);
      }
      if (next === '$') return;
      push(p, t, next, rng, context);
      state = next;
      t += Math.max(1, rng.lognormal(p.spec.gap[0], p.spec.gap[1])) * 1000;
    }
  };

  // ---- normal traffic
  for (const p of plans) {
    const rng = new Rng(hashSeed(seed, p.name, 'normal'));
    const hoursTotal = p.spec.hours.reduce((a, v) => a + v, 0);
    for (let day = 0; day < days; day++) {
      const dayStart = start + day * DAY;
      const weekend = isWeekend(dayStart);
      let dayFactor = (weekend ? p.spec.weekend : 1) * rng.uniform(0.8, 1.2) * p.scale;
      if (p.spec.monthEnd && isMonthEnd(dayStart)) dayFactor *= 2;
      const starts: number[] = [];
      for (let h = 0; h < 24; h++) {
        const n = rng.poisson((p.spec.sessionsPerDay * dayFactor * p.spec.hours[h]!) / hoursTotal);
        for (let s = 0; s < n; s++) starts.push(dayStart + h * HOUR + rng.uniform(0, HOUR));
      }
      for (const t0 of starts.sort((a, b) => a - b)) session(p, t0, rng);
      const batch = p.spec.batch;
      if (batch && !(batch.weekdaysOnly && weekend)) {
        let t = dayStart + batch.hour * HOUR + rng.uniform(0, 10 * 60_000);
        const count = rng.int(batch.count[0], batch.count[1]);
        const context = normalContext(p, t, rng);
        for (let k = 0; k < count; k++) {
          push(p, t, batch.op, rng, context);
          t += rng.uniform(batch.gapSec[0], batch.gapSec[1]) * 1000;
        }
      }
    }
  }

  // ---- anomalies
  if (withAnomalies) {
    for (const p of plans) {
      const rng = new Rng(hashSeed(seed, p.name, 'anomalies'));
      const A = p.spec.anomalies;
      const workHours = p.spec.hours.map((w, h) => [h, w >= 1 ? w : 0] as const).filter(([, w]) => w > 0);
      const lastDay = days - 2;
      if (lastDay <= firstAnomalyDay) continue;
      const workTime = (day: number): number => {
        let d = day;
        while (isWeekend(start + d * DAY) && d < lastDay) d++;
        return start + d * DAY + rng.weighted(workHours) * HOUR + rng.uniform(0, HOUR);
      };
      const nextId = (kind: string) => `${kind}-${++incidentCounter}`;
      const kinds: AnomalyKind[] = ['bulk_volume', 'new_tool', 'odd_sequence', 'burst', 'odd_context'];
      const used = new Set<number>();
      const pickDay = () => {
        for (let tries = 0; tries < 50; tries++) {
          const d = rng.int(firstAnomalyDay, lastDay);
          if (!used.has(d)) {
            used.add(d);
            return d;
          }
        }
        return rng.int(firstAnomalyDay, lastDay);
      };
      for (const kind of kinds) {
        const id = nextId(kind);
        let t = workTime(pickDay());
        switch (kind) {
          case 'bulk_volume': {
            const b = rng.pick(A.bulk);
            const n = rng.int(1, 2);
            for (let k = 0; k < n; k++) {
              const s = sample(p, b.op, t, rng);
              const factor = Math.exp(rng.uniform(Math.log(b.factor[0]), Math.log(b.factor[1])));
              const op = p.spec.ops[b.op]!;
              const over =
                b.field === 'volume'
                  ? { volume: Math.round(op.vol[0] * factor) }
                  : { amount: Math.round(op.amt![0] * p.scale * factor * 100) / 100 };
              lines.push({
                t: Math.round(t),
                agent: p,
                key: b.op,
                ...s,
                ...over,
                context: normalContext(p, t, rng),
                label: kind,
                incident: id,
                seq: seq++,
              });
              t += rng.uniform(30, 120) * 1000;
            }
            break;
          }
          case 'new_tool': {
            const nt = A.newTool[p.index % A.newTool.length]!;
            const context = normalContext(p, t, rng);
            push(p, t, nt.after, rng, context);
            t += rng.uniform(5, 60) * 1000;
            const n = rng.int(1, 2);
            for (let k = 0; k < n; k++) {
              const amount = nt.amt ? Math.round(rng.lognormal(nt.amt[0], nt.amt[1]) * 100) / 100 : 0;
              lines.push({
                t: Math.round(t),
                agent: p,
                key: `${nt.tool}:${nt.op}`,
                tool: nt.tool,
                resource: nt.resource,
                sens: nt.sens,
                volume: nt.vol,
                amount,
                context: { ...context },
                label: kind,
                incident: id,
                seq: seq++,
              });
              t += rng.uniform(10, 90) * 1000;
            }
            break;
          }
          case 'odd_sequence': {
            const [a, b] = rng.pick(A.oddSequence);
            const context = normalContext(p, t, rng);
            push(p, t, a, rng, context);
            t += rng.uniform(5, 60) * 1000;
            push(p, t, b, rng, context, { label: kind, incident: id });
            break;
          }
          case 'burst': {
            const op = rng.pick(A.burstOps);
            const n = rng.int(150, 400);
            const span = rng.uniform(5, 15) * 60_000;
            for (let k = 0; k < n; k++)
              push(p, t + (span * k) / n, op, rng, normalContext(p, t, rng), { label: kind, incident: id });
            break;
          }
          case 'odd_context': {
            const variant = (p.index + ARCHETYPES.indexOf(p.archetype)) % 3;
            if (variant === 1)
              t = start + Math.floor((t - start) / DAY) * DAY + rng.pick(A.inactiveHours) * HOUR + rng.uniform(0, HOUR);
            const network = rng.pick(ATTACK_NETWORKS);
            const human = `contractor-${rng.int(100, 999)}@outside.example`;
            const n = rng.int(3, 6);
            const ctx = normalContext(p, t, rng);
            if (variant === 0) ctx.sourceNetwork = network; // stolen credentials used from elsewhere
            if (variant === 1) ctx.onBehalfOf = human; // at an hour the agent never works, for an outsider
            if (variant === 2) {
              ctx.sourceNetwork = network;
              ctx.userAgent = 'python-requests/2.31.0';
            }
            let state = '^';
            for (let k = 0; k < n; k++) {
              const options = (p.spec.chain[state] ?? []).filter(
                ([key]) => key !== '$' && available(p, key, Math.floor((t - start) / DAY)),
              );
              const key = options.length ? rng.weighted(options) : rng.weighted(p.spec.chain['^']!);
              const s = sample(p, key, t, rng);
              lines.push({
                t: Math.round(t),
                agent: p,
                key,
                ...s,
                context: { ...ctx },
                label: kind,
                incident: id,
                seq: seq++,
              });
              state = key;
              t += rng.uniform(10, 120) * 1000;
            }
            break;
          }
        }
      }
      // Slow drift on every other agent, followed by a real bulk request (100× the pre-drift median) once the creep is
      // over.
      if ((p.index + ARCHETYPES.indexOf(p.archetype)) % 2 === 0 && days >= 30) {
        const startDay = firstAnomalyDay + rng.int(1, 3);
        const endDay = Math.min(days - 3, startDay + 28);
        p.drift = { start: startDay, end: endDay, id: nextId('drift') };
        const id = nextId('post_drift_bulk');
        const t = workTime(endDay + 1);
        const op = p.spec.ops[A.drift.op]!;
        const s = sample(p, A.drift.op, t, rng);
        const over =
          A.drift.field === 'volume'
            ? { volume: Math.round(op.vol[0] * p.scale * 100) }
            : { amount: Math.round(op.amt![0] * p.scale * 100 * 100) / 100 };
        lines.push({
          t: Math.round(t),
          agent: p,
          key: A.drift.op,
          ...s,
          ...over,
          context: normalContext(p, t, rng),
          label: 'bulk_volume',
          incident: id,
          seq: seq++,
        });
      }
    }
    // Slow drift: every normal request of the drifting operation creeps up ~10 % per day.
    for (const line of lines) {
      const p = line.agent;
      if (!p.drift || line.label !== 'normal' || line.key !== p.spec.anomalies.drift.op) continue;
      if (line.t < start + p.drift.start * DAY || line.t >= start + p.drift.end * DAY) continue;
      const factor = Math.pow(1.1, (line.t - (start + p.drift.start * DAY)) / DAY);
      if (p.spec.anomalies.drift.field === 'volume') line.volume = Math.max(1, Math.round(line.volume * factor));
      else line.amount = Math.round(line.amount * factor * 100) / 100;
      line.label = 'drift';
      line.incident = p.drift.id;
    }
  }

  lines.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return lines.map((l) => {
    const [tool, operation] = l.tool ? [l.tool, splitKey(l.key)[1]] : splitKey(l.key);
    const sensitivity = l.sens ?? l.agent.spec.ops[l.key]!.sens;
    return {
      time: new Date(l.t).toISOString(),
      agent: l.agent.name,
      archetype: l.agent.archetype,
      platform: l.agent.spec.platform,
      tool,
      toolResource: l.resource ?? l.agent.spec.resources[tool] ?? `https://${tool}.example.com/`,
      operation,
      sensitivity,
      volume: l.volume,
      amount: l.amount,
      context: l.context,
      label: l.label,
      incident: l.incident,
    };
  });
}

export function toJsonLines(lines: TraceLine[]): string {
  return lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : '');
}

// ------------------------------------------------------------------------------------------------ CLI

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const lines = generateTraces({
    seed: Number(arg(argv, '--seed') ?? 1),
    agentsPerArchetype: Number(arg(argv, '--agents') ?? 4),
    days: Number(arg(argv, '--days') ?? 42),
    anomalies: !argv.includes('--no-anomalies'),
  });
  const out = arg(argv, '--out');
  if (out) {
    writeFileSync(out, toJsonLines(lines));
    process.stderr.write(`wrote ${lines.length} lines to ${out}\n`);
  } else process.stdout.write(toJsonLines(lines));
}
