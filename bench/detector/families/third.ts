/**
 * The third trace family, written independently of the first two (no shared code, archetypes or tuning) as the
 * held-out test for a policy re-tuned on `first` and `second`. Same trace format (bench/detector/README.md).
 *
 * Legal, sales-ops, data-engineering and clinic-scheduling agents run branching procedures (optional steps, loops,
 * retries) on local rhythms with daylight-saving switches: clinic shifts 07–13 and 13–19, a data-engineering batch
 * of hundreds of cheap reads between 02:00 and 04:00, a quarter-end surge for sales, idle weekends for legal.
 * Sales and clinic agents interleave several people's sessions; two data agents name nobody. Slow legitimate
 * change: growing volumes, a tool adopted over a week, a client upgrade, an office moving to a new subnet.
 *
 *   tsx bench/detector/families/third.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TraceLine } from '../generate-traces.js';
import {
  adoption,
  choosePerson,
  context,
  DAY,
  keyOf,
  makeAgent,
  possibleTransitions,
  session,
  START,
  Stream,
  surge,
  utc,
  walk,
  weekday,
  type Agent,
  type Gen,
  type Person,
  type Request,
  type Row,
} from './third-engine.js';
import { incidentRequests } from './third-incidents.js';
import { THIRD_ARCHETYPES, type Procedure } from './third-roles.js';

function normalRequests(g: Gen, a: Agent, rng: Stream): Request[] {
  const out: Request[] = [];
  const spec = a.spec;
  const procs = spec.procedures.filter((p) => p.weight > 0);
  const add = (day: number, minute: number, proc: Procedure, person: Person | undefined, offProcedure: boolean) =>
    out.push({
      arrival: utc(a, day, minute),
      key: keyOf(a, person),
      build: (start) => {
        const steps = walk(proc.steps, rng, adoption(a, day));
        for (let i = steps.length - 1; offProcedure && i > 0; i--)
          if (rng.chance(0.01)) steps.splice(i, 0, { op: rng.pick(spec.offProcedure) });
        return session(g, a, steps, start, context(a, day, rng, person), rng);
      },
    });
  for (let day = -1; day <= g.days; day++) {
    const wd = weekday(day);
    const boost = surge(a, day);
    const dayFactor = (boost > 1 ? Math.max(0.6, spec.weekdays[wd]!) : spec.weekdays[wd]!) * boost;
    for (const [h, w] of Object.entries(spec.hours).map(([h, w]) => [Number(h), w] as const)) {
      if (spec.name === 'clinic_scheduling' && wd === 5 && (h < 8 || h >= 12)) continue;
      const n = rng.poisson(spec.peak * w * dayFactor * (1 + 0.003 * Math.max(0, day)));
      for (let i = 0; i < n; i++) {
        const proc = rng.weighted(procs, (p) => p.weight * (boost > 1 ? (p.surgeWeight ?? 1) : 1));
        add(day, h * 60 + rng.range(0, 60), proc, choosePerson(a, day, h, rng), true);
      }
    }
    if (spec.batch) {
      const batch = spec.batch;
      out.push({
        arrival: utc(a, day, 120 + rng.range(0, 30)),
        key: keyOf(a),
        build: (start) => {
          const ctx = { sourceNetwork: a.runner, userAgent: spec.userAgent(a.platform) }; // nobody delegates it
          return session(g, a, walk(batch.steps, rng, 0), start, ctx, rng);
        },
      });
    }
    const reminders = spec.procedures.find((p) => p.name === 'reminders');
    if (reminders && wd < 6) {
      const lead = (shift: number) => a.people.find((p) => p.shift === shift);
      // (shift, local hour): both shifts on weekdays, the morning one on Saturdays.
      // prettier-ignore
      const shifts: Array<[number, number]> = wd === 5 ? [[0, 8]] : [[0, 7], [1, 13]];
      for (const [shift, h] of shifts) add(day, h * 60 + 2, reminders, lead(shift), false);
    }
  }
  return out;
}

/** The third family: 4 archetypes × agentsPerArchetype agents over `days` days from Monday 2025-03-03 (UTC). */
export function generateThirdFamily(options: { seed: number; agentsPerArchetype: number; days: number }): TraceLine[] {
  const g: Gen = { seed: options.seed, days: options.days, seq: 0, counters: {} };
  const rows: Row[] = [];
  for (const spec of THIRD_ARCHETYPES) {
    const pairs = possibleTransitions(spec);
    for (let i = 0; i < options.agentsPerArchetype; i++) {
      const a = makeAgent(spec, i, g.seed);
      const incidents = incidentRequests(g, a, pairs, new Stream(g.seed, a.id, 'plan'));
      const requests = [...incidents, ...normalRequests(g, a, new Stream(g.seed, a.id, 'traffic'))];
      requests.sort((x, y) => x.arrival - y.arrival);
      const free = new Map<string, number>();
      for (const r of requests) {
        const built = r.build(Math.max(r.arrival, (free.get(r.key) ?? -Infinity) + 15_000));
        if (built.length) free.set(r.key, built[built.length - 1]!.ms);
        rows.push(...built);
      }
    }
  }
  const end = START + options.days * DAY;
  return rows
    .filter((r) => r.ms >= START && r.ms < end)
    .sort((x, y) => x.ms - y.ms || x.seq - y.seq)
    .map((r) => ({ time: new Date(r.ms).toISOString(), ...r.line }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const lines = generateThirdFamily({
    seed: Number(arg('--seed') ?? 1),
    agentsPerArchetype: Number(arg('--agents') ?? 4),
    days: Number(arg('--days') ?? 42),
  });
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const out = arg('--out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}
