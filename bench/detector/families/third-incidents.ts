/**
 * The third family's injected incidents (see third.ts), planned per agent from its own random stream on working
 * days from day 11 (after the warm-up), each at a busy local hour unless it is about the hour:
 *
 * - bulk_volume: one request of a mandatory step at 30–300× the operation's current median volume or amount;
 * - new_tool: an ordinary session, then 1–2 HIGH/CRITICAL calls to a tool the archetype never uses;
 * - odd_sequence (one on a MEDIUM, one on a HIGH operation): a procedure runs up to a step A, then a routine
 *   operation X that can never follow A (nor itself) in this archetype's procedures, 2–3 times within two minutes;
 * - burst: 150–600 requests of one routine LOW/MEDIUM operation within 3–15 minutes;
 * - odd_context: a routine session from a never-seen public network, or with a never-seen client, or for a
 *   never-seen person at an hour the agent never works;
 * - drift (every other agent): one operation's volume or amount compounding 8–15 % a day for 2–3 weeks, labelled
 *   once it passes 3×, then one `post_drift_bulk` request at ~80× the original median.
 */
import type { Label } from '../generate-traces.js';
import {
  adoption,
  choosePerson,
  context,
  keyOf,
  mandatory,
  MIN,
  session,
  utc,
  walk,
  weekday,
  type Agent,
  type Gen,
  type Person,
  type Request,
  type Stream,
  type Walked,
} from './third-engine.js';
import { FIRST_NAMES, LAST_NAMES, type Procedure } from './third-roles.js';

const PUBLIC_FIRST_OCTETS = [23, 45, 62, 77, 91, 103, 146, 185, 193, 212];
const CLIENTS = ['curl/8.5.0', 'python-requests/2.32.3'];

interface Slot {
  day: number;
  minute: number;
  person: Person | undefined;
}

export function incidentRequests(g: Gen, a: Agent, pairs: Set<string>, rng: Stream): Request[] {
  const spec = a.spec;
  const out: Request[] = [];
  const workdays: number[] = [];
  for (let d = 11; d <= g.days - 2; d++) if (weekday(d) < 5) workdays.push(d);
  if (!workdays.length) return out;
  const days = rng.shuffle(workdays);
  let next = 0;
  const id = (kind: string) => `${kind}-${(g.counters[kind] = (g.counters[kind] ?? 0) + 1)}`;
  const tag = (label: Label, kind: string = label) => ({ label, incident: id(kind) });
  const busyHours = Object.entries(spec.hours)
    .filter(([, w]) => w >= 0.9)
    .map(([h]) => Number(h));
  /** A busy moment on a working day, and the person the agent works for then. */
  const slot = (day = days[next++ % days.length]!): Slot => {
    const hour = rng.pick(busyHours);
    return { day, minute: hour * 60 + rng.range(0, 55), person: choosePerson(a, day, hour, rng) };
  };
  const add = (at: Slot, steps: () => Walked[], patch: Record<string, string> = {}) =>
    out.push({
      arrival: utc(a, at.day, at.minute),
      key: keyOf(a, at.person),
      build: (start) => session(g, a, steps(), start, { ...context(a, at.day, rng, at.person), ...patch }, rng),
    });
  const daytime = spec.procedures.filter((p) => p.weight >= 1);
  const anyProc = (op: string) => rng.pick(spec.procedures.filter((p) => p.weight > 0 && mandatory(p).includes(op)));
  const driftOp = a.index % 2 === 0 ? spec.driftOps[(a.index / 2) % spec.driftOps.length] : undefined;
  const routine = (p: Procedure) => mandatory(p).filter((o) => o !== driftOp?.[0]);
  const sens = (op: string) => spec.ops[op]!.sensitivity;

  // bulk_volume
  {
    const at = slot();
    const proc = rng.weighted(daytime, (p) => p.weight);
    const op = rng.pick(routine(proc));
    const field = spec.ops[op]!.amount && rng.chance(0.5) ? 'amount' : 'volume';
    const factor = Math.exp(rng.range(Math.log(30), Math.log(300)));
    const t = tag('bulk_volume');
    add(at, () => {
      const steps = walk(proc.steps, rng, adoption(a, at.day));
      Object.assign(
        steps.find((s) => s.op === op)!,
        { tag: t, scale: { field, factor } },
      );
      return steps;
    });
  }

  // new_tool
  {
    const at = slot();
    const proc = rng.weighted(daytime, (p) => p.weight);
    const foreign = spec.foreign[a.index % spec.foreign.length]!;
    const t = tag('new_tool');
    const calls = rng.int(1, 2);
    add(at, () => [
      ...walk(proc.steps, rng, adoption(a, at.day)),
      ...Array.from({ length: calls }, () => ({
        op: foreign.operation,
        tag: t,
        gap: rng.range(20_000, 90_000),
      })),
    ]);
  }

  // odd_sequence, on a MEDIUM and on a HIGH operation
  const afters = [...new Set(spec.procedures.filter((p) => p.weight > 0).flatMap(mandatory))].filter(
    (o) => !spec.offProcedure.includes(o),
  );
  for (const level of ['MEDIUM', 'HIGH'] as const) {
    const xs = [...new Set(daytime.flatMap(mandatory))].filter((o) => sens(o) === level);
    const options = xs.flatMap((x) => afters.filter((y) => y !== x && !pairs.has(`${y}>${x}`)).map((y) => [y, x]));
    const clean = options.filter(([, x]) => !pairs.has(`${x}>${x}`));
    if (!options.length) throw new Error(`${a.id}: no odd sequence on a ${level} operation is possible`);
    const [after, x] = rng.pick(clean.length ? clean : options) as [string, string];
    const proc = anyProc(after);
    const repeats = rng.int(2, 3);
    const at = slot();
    const t = tag('odd_sequence');
    add(at, () => {
      const steps = walk(proc.steps, rng, adoption(a, at.day));
      steps.splice(steps.findIndex((s) => s.op === after) + 1);
      for (let i = 0; i < repeats; i++) steps.push({ op: x, tag: t, gap: rng.range(15_000, 50_000) });
      return steps;
    });
  }

  // burst
  {
    const op = rng.pick([...new Set(daytime.flatMap(routine))].filter((o) => ['LOW', 'MEDIUM'].includes(sens(o))));
    const gaps = Array.from({ length: rng.int(150, 600) }, () => rng.range(0.4, 1.6));
    const span = rng.range(3, 15) * MIN;
    const scale = span / gaps.reduce((sum, x) => sum + x, 0);
    const t = tag('burst');
    add(slot(), () => gaps.map((x) => ({ op, tag: t, gap: x * scale })));
  }

  // odd_context: a never-seen network, a never-seen client, or a never-seen person at a never-worked hour
  {
    const variant = a.threadless && a.index % 3 === 2 ? 1 : a.index % 3;
    const procs = daytime.filter((p) => mandatory(p).length >= 3);
    const proc = rng.weighted(procs, (p) => p.weight);
    let at = slot();
    let patch: Record<string, string>;
    if (variant === 0) {
      patch = {
        sourceNetwork: `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(1, 254)}.${rng.int(1, 254)}.${rng.int(2, 254)}/32`,
      };
    } else if (variant === 1) patch = { userAgent: CLIENTS[a.index % CLIENTS.length]! };
    else {
      const known = new Set(a.people.map((p) => p.email));
      let email = '';
      while (!email || known.has(email))
        email = `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}@${rng.pick([spec.domain, 'gmail.com', 'proton.me'])}`;
      at = {
        day: at.day,
        minute: spec.quietHour * 60 + rng.range(5, 50),
        person: { email, join: 0, weight: 0, shift: 0 },
      };
      patch = {};
    }
    const t = tag('odd_context');
    add(
      at,
      () => {
        let steps = walk(proc.steps, rng, adoption(a, at.day));
        while (steps.length < 3) steps = walk(proc.steps, rng, adoption(a, at.day));
        return steps.slice(0, 6).map((s) => ({ ...s, tag: t }));
      },
      patch,
    );
  }

  // drift, then a post-drift bulk request
  if (driftOp) {
    const [op, field] = driftOp;
    const startDay = rng.int(11, 13);
    let rate = rng.range(0.08, 0.15);
    const wanted = Math.min(21, Math.max(14, Math.ceil(Math.log(rng.range(4.5, 8)) / Math.log(1 + rate))));
    const span = Math.min(wanted, g.days - 3 - startDay);
    if (span >= 6) {
      rate = Math.max(rate, 4 ** (1 / span) - 1);
      let postDay = startDay + span;
      while (weekday(postDay) >= 5) postDay++;
      const at = slot(postDay);
      a.drift = { op, field, start: utc(a, startDay, 0), end: utc(a, at.day, at.minute), rate, id: id('drift') };
      const proc = anyProc(op);
      const t = tag('bulk_volume', 'post_drift_bulk');
      add(at, () => {
        const steps = walk(proc.steps, rng, adoption(a, at.day));
        Object.assign(
          steps.find((s) => s.op === op)!,
          { tag: t, scale: { field, factor: 80 * rng.range(0.9, 1.1) } },
        );
        return steps;
      });
    }
  }
  return out;
}
