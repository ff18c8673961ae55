/**
 * Ninth family, odd sequences: a routine MEDIUM or HIGH operation of the agent, done two or three times back to back
 * right after a step it never follows for that person (and, where possible, never follows anywhere in the agent's
 * work), with ordinary volumes and the same context. Only the out-of-order lines carry the label.
 */
import { DAY_MS, START_MS, drawAmount, drawVolume, iso, type Line, type Sensitivity } from './ninth-model.js';
import { FIRST_INCIDENT_DAY, dayOf, nextId, usage, type Plant } from './ninth-incidents.js';
import type { Rng } from './ninth-rng.js';

const threadOf = (l: Line) => `${l.agent}|${l.context.onBehalfOf ?? ''}`;

interface Index {
  /** Lines of each thread in time order. */
  threads: Map<string, Line[]>;
  /** Normal-to-normal transitions seen per thread, and per agent regardless of person. */
  seen: Set<string>;
  seenByAgent: Set<string>;
}

function index(lines: Line[]): Index {
  const sorted = [...lines].sort((a, b) => a.ms - b.ms);
  const threads = new Map<string, Line[]>();
  const seen = new Set<string>();
  const seenByAgent = new Set<string>();
  const lastAgent = new Map<string, Line>();
  for (const l of sorted) {
    const t = threadOf(l);
    const list = threads.get(t) ?? [];
    const prev = list[list.length - 1];
    if (prev && prev.label === 'normal' && l.label === 'normal') seen.add(`${t}|${prev.operation}>${l.operation}`);
    list.push(l);
    threads.set(t, list);
    const prevAgent = lastAgent.get(l.agent);
    if (prevAgent && prevAgent.label === 'normal' && l.label === 'normal')
      seenByAgent.add(`${l.agent}|${prevAgent.operation}>${l.operation}`);
    lastAgent.set(l.agent, l);
  }
  return { threads, seen, seenByAgent };
}

function plantOne(plant: Plant, idx: Index, agent: string, sensitivity: Sensitivity, used: Set<Line>, rng: Rng) {
  const uses = usage(plant, agent);
  const spec = plant.specOf.get(agent)!;
  const drift = plant.driftOp.get(agent);
  const ops = [...uses.entries()]
    .filter(([op, n]) => n >= 12 && op !== drift && spec.ops[op]!.sensitivity === sensitivity)
    .map(([op]) => op)
    .sort();
  const end = START_MS + plant.days * DAY_MS - 3_600_000;
  const anchors: [Line, Line | undefined][] = [];
  for (const [t, list] of idx.threads) {
    if (!t.startsWith(`${agent}|`)) continue;
    list.forEach((l, i) => {
      const next = list[i + 1];
      if (l.label !== 'normal' || used.has(l) || dayOf(l.ms) < FIRST_INCIDENT_DAY || l.ms > end) return;
      if (next && (next.label !== 'normal' || next.ms - l.ms < 300_000)) return;
      anchors.push([l, next]);
    });
  }
  anchors.sort((a, b) => a[0].ms - b[0].ms);
  const order = rng.shuffle(anchors);
  for (const strict of [true, false])
    for (const [l] of order) {
      const t = threadOf(l);
      const fits = rng
        .shuffle(ops)
        .filter(
          (op) =>
            op !== l.operation &&
            !idx.seen.has(`${t}|${l.operation}>${op}`) &&
            !idx.seen.has(`${t}|${op}>${op}`) &&
            (!strict ||
              (!idx.seenByAgent.has(`${agent}|${l.operation}>${op}`) && !idx.seenByAgent.has(`${agent}|${op}>${op}`))),
        );
      if (!fits.length) continue;
      const op = fits[0]!;
      const def = spec.ops[op]!;
      const id = nextId(plant, 'odd_sequence');
      let ms = l.ms + rng.int(15, 50) * 1000;
      const n = rng.int(2, 3);
      for (let k = 0; k < n; k++) {
        plant.lines.push({
          ...l,
          ms,
          time: iso(ms),
          tool: def.tool,
          toolResource: spec.tools[def.tool]!,
          operation: op,
          sensitivity: def.sensitivity,
          volume: drawVolume(def, rng),
          amount: drawAmount(def, rng),
          context: { ...l.context },
          label: 'odd_sequence',
          incident: id,
        });
        ms += rng.int(10, 40) * 1000;
      }
      used.add(l);
      return true;
    }
  return false;
}

/** Per agent, one odd sequence on a MEDIUM and one on a HIGH operation. */
export function plantOddSequences(plant: Plant): string[] {
  const idx = index(plant.lines);
  const missing: string[] = [];
  for (const seat of plant.seats) {
    const rng = plant.rng.fork(`odd-sequence-${seat.agent}`);
    const used = new Set<Line>();
    for (const sensitivity of ['MEDIUM', 'HIGH'] as const)
      if (!plantOne(plant, idx, seat.agent, sensitivity, used, rng)) missing.push(`${seat.agent} ${sensitivity}`);
  }
  return missing;
}
