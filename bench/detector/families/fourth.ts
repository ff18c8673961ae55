/**
 * The fourth trace family, written independently of the other three (no shared code, archetypes or tuning, and
 * nothing of the scorer read) as the held-out test once `first`, `second` and `third` are all tuned on. Same trace
 * format (bench/detector/README.md).
 *
 * Insurance-claims, procurement, SOC-analyst and education-administration desks run branching work flows (optional
 * steps, loops, choices, retries) at fixed UTC offsets: SOC desks around the clock with a thinner night shift and
 * legitimate alert storms, education desks twice as busy in term-start weeks, a quarter end for procurement, a
 * hailstorm for claims. Some desks interleave several people, some serve one at a time, bots name nobody.
 * Slow legitimate change: a tool adopted gradually, a client upgrade, an office move, a new colleague.
 *
 *   tsx bench/detector/families/fourth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TraceLine } from '../generate-traces.js';
import { INSURANCE_CLAIMS, PROCUREMENT } from './fourth-desks-a.js';
import { EDUCATION_ADMIN, SOC_ANALYST } from './fourth-desks-b.js';
import { DAY, START, generateSessions, makeAgent, type Session } from './fourth-engine.js';
import { plantIncidents } from './fourth-incidents.js';

export const FOURTH_ARCHETYPES = [INSURANCE_CLAIMS, PROCUREMENT, SOC_ANALYST, EDUCATION_ADMIN];

export interface FourthOptions {
  seed: number;
  agentsPerArchetype: number;
  days: number;
}

function toLines(sessions: Session[], end: number): TraceLine[] {
  const out: { t: number; line: TraceLine }[] = [];
  for (const s of sessions) {
    const { agent } = s;
    const context: Record<string, string> = { sourceNetwork: s.net };
    if (s.person) context.onBehalfOf = s.person.email;
    context.userAgent = s.ua;
    for (const q of s.reqs) {
      if (q.t < START || q.t >= end) continue;
      const def = q.foreign ?? null;
      const spec = agent.def.ops[q.op];
      const tool = def ? def.tool : spec!.tool;
      out.push({
        t: q.t,
        line: {
          time: new Date(q.t).toISOString(),
          agent: agent.id,
          archetype: agent.def.archetype,
          platform: agent.desk.platform,
          tool,
          toolResource: def ? def.uri : agent.def.tools[tool]!,
          operation: q.op,
          sensitivity: def ? def.sens : spec!.sens,
          volume: q.volume,
          amount: q.amount,
          context: { ...context },
          label: q.label,
          incident: q.incident,
        },
      });
    }
  }
  // Stable: requests at the same millisecond keep the order they were made in.
  return out.sort((a, b) => a.t - b.t).map((x) => x.line);
}

export function generateFourthFamily(options: FourthOptions): TraceLine[] {
  const { seed, agentsPerArchetype, days } = options;
  const counters = new Map<string, number>();
  const next = (kind: string) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `${kind}-${n}`;
  };
  const all: Session[] = [];
  for (const def of FOURTH_ARCHETYPES)
    for (let n = 1; n <= agentsPerArchetype; n++) {
      const agent = makeAgent(def, def.desks[(n - 1) % def.desks.length]!, n, seed, days);
      const sessions = generateSessions(agent, seed, days);
      // Incidents start on day 10; a trace shorter than 16 days has none.
      const extra = days >= 16 ? plantIncidents(agent, sessions, seed, days, next) : [];
      all.push(...sessions, ...extra);
    }
  return toLines(all, START + days * DAY);
}

function main(argv: string[]): void {
  const arg = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
  };
  const i = argv.indexOf('--out');
  const lines = generateFourthFamily({
    seed: arg('--seed', 1),
    agentsPerArchetype: arg('--agents', 4),
    days: arg('--days', 42),
  });
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  if (i >= 0 && argv[i + 1]) {
    writeFileSync(argv[i + 1]!, text);
    console.error(`wrote ${lines.length} requests to ${argv[i + 1]}`);
  } else process.stdout.write(text);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
