/**
 * Ninth family, incident planting (everything from day 10 on): drifts and the jump that ends them, bulk requests,
 * never-seen tools, bursts and sessions from a never-seen network, client or person at a never-seen hour. Odd
 * sequences are planted last, in ninth-sequences.ts, once every other line is in place.
 */
import type { Label } from '../generate-traces.js';
import {
  DAY_MS,
  START_MS,
  iso,
  makeLine,
  personName,
  runSteps,
  type ArchetypeSpec,
  type Line,
  type Seat,
} from './ninth-model.js';
import type { Rng } from './ninth-rng.js';

export const FIRST_INCIDENT_DAY = 10;

export interface Plant {
  lines: Line[];
  seats: Seat[];
  specOf: Map<string, ArchetypeSpec>;
  days: number;
  rng: Rng;
  driftOp: Map<string, string>;
  counters: Map<string, number>;
}

export function nextId(plant: Plant, kind: string): string {
  const n = (plant.counters.get(kind) ?? 0) + 1;
  plant.counters.set(kind, n);
  return `${kind}-${n}`;
}

export const dayOf = (ms: number) => Math.floor((ms - START_MS) / DAY_MS);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

export function normalOf(plant: Plant, agent: string, op?: string): Line[] {
  return plant.lines.filter(
    (l) => l.agent === agent && l.label === 'normal' && (op === undefined || l.operation === op),
  );
}

export function usage(plant: Plant, agent: string): Map<string, number> {
  const uses = new Map<string, number>();
  for (const l of normalOf(plant, agent)) uses.set(l.operation, (uses.get(l.operation) ?? 0) + 1);
  return uses;
}

/** A normal line of the agent from day 10 on, at least an hour before the end, optionally of one operation. */
function anchor(plant: Plant, agent: string, rng: Rng, op?: string): Line {
  const end = START_MS + plant.days * DAY_MS - 3_600_000;
  const pool = normalOf(plant, agent, op).filter((l) => dayOf(l.ms) >= FIRST_INCIDENT_DAY && l.ms < end);
  return rng.pick(pool);
}

function mark(line: Line, label: Label, id: string): Line {
  line.label = label;
  line.incident = id;
  return line;
}

function plantDrift(plant: Plant, seat: Seat, rng: Rng): void {
  const spec = plant.specOf.get(seat.agent)!;
  const early = new Map<string, number>();
  for (const l of normalOf(plant, seat.agent))
    if (dayOf(l.ms) < FIRST_INCIDENT_DAY) early.set(l.operation, (early.get(l.operation) ?? 0) + 1);
  const op = [...spec.driftOps].sort((a, b) => (early.get(b) ?? 0) - (early.get(a) ?? 0))[0]!;
  plant.driftOp.set(seat.agent, op);
  const same = normalOf(plant, seat.agent, op);
  const usual = median(same.filter((l) => dayOf(l.ms) < FIRST_INCIDENT_DAY).map((l) => l.volume));
  const rate = rng.uniform(0.08, 0.15);
  const crossing = Math.ceil(Math.log(3.3) / Math.log(1 + rate));
  const start = Math.min(rng.int(FIRST_INCIDENT_DAY, 16), plant.days - crossing - 9);
  const end = Math.min(start + crossing + rng.int(4, 6), plant.days - 4);
  const id = nextId(plant, 'drift');
  const startMs = START_MS + start * DAY_MS;
  for (const l of same) {
    const day = dayOf(l.ms);
    if (day < start || day > end) continue;
    const factor = (1 + rate) ** ((l.ms - startMs) / DAY_MS);
    l.volume = Math.max(1, Math.round(l.volume * factor));
    if (factor >= 3.3) mark(l, 'drift', id);
  }
  const jump = same.find((l) => dayOf(l.ms) > end)!;
  jump.volume = Math.round(usual * rng.uniform(76, 84));
  mark(jump, 'bulk_volume', nextId(plant, 'post_drift'));
}

function plantBulk(plant: Plant, seat: Seat, rng: Rng, money: boolean): void {
  const uses = usage(plant, seat.agent);
  const drift = plant.driftOp.get(seat.agent);
  const candidates = [...uses.entries()]
    .filter(([op, n]) => n >= 12 && op !== drift)
    .map(([op]) => op)
    .filter((op) => {
      const ls = normalOf(plant, seat.agent, op);
      return money ? ls.every((l) => l.amount > 0) : true;
    })
    .sort();
  const op = rng.pick(candidates.length ? candidates : [...uses.keys()].filter((o) => o !== drift).sort());
  const same = normalOf(plant, seat.agent, op);
  const line = anchor(plant, seat.agent, rng, op);
  const factor = rng.uniform(40, 220);
  if (money && line.amount > 0) {
    line.amount = Math.round(median(same.map((l) => l.amount)) * factor * 100) / 100;
    line.volume = Math.max(1, Math.round(median(same.map((l) => l.volume))));
  } else line.volume = Math.round(Math.max(1, median(same.map((l) => l.volume))) * factor);
  mark(line, 'bulk_volume', nextId(plant, 'bulk_volume'));
}

function plantNewTool(plant: Plant, seat: Seat, rng: Rng, index: number): void {
  const spec = plant.specOf.get(seat.agent)!;
  const rare = spec.rare[index % spec.rare.length]!;
  const at = anchor(plant, seat.agent, rng);
  const id = nextId(plant, 'new_tool');
  let ms = at.ms;
  const n = rng.int(1, 3);
  for (let k = 0; k < n; k++) {
    ms += Math.round(rng.uniform(20, 150) * 1000);
    plant.lines.push(
      mark(
        {
          ...at,
          ms,
          time: iso(ms),
          tool: rare.tool,
          toolResource: rare.resource,
          operation: rare.op,
          sensitivity: rare.sensitivity,
          volume: rare.volume,
          amount: rare.amount ? Math.round(rng.around(rare.amount, 0.3) * 100) / 100 : 0,
          context: { ...at.context },
        },
        'new_tool',
        id,
      ),
    );
  }
}

function plantBurst(plant: Plant, seat: Seat, rng: Rng): void {
  const spec = plant.specOf.get(seat.agent)!;
  const uses = usage(plant, seat.agent);
  const op = [...spec.burstOps].sort((a, b) => (uses.get(b) ?? 0) - (uses.get(a) ?? 0))[0]!;
  const at = anchor(plant, seat.agent, rng);
  const id = nextId(plant, 'burst');
  const n = rng.int(150, 600);
  const span = rng.uniform(3, 14.5) * 60_000;
  const offsets = Array.from({ length: n }, () => rng.uniform(0, span)).sort((a, b) => a - b);
  for (const off of offsets) {
    const line = makeLine(spec, seat, op, at.ms + 5_000 + Math.round(off), at.context, rng);
    plant.lines.push(mark(line, 'burst', id));
  }
}

const PUBLIC_NETS = ['185.220.101.0/24', '45.134.26.0/24', '103.152.220.0/24', '91.243.44.0/24', '196.251.73.0/24'];
const SCRIPTS = ['curl/8.7.1', 'python-requests/2.32.3', 'curl/7.88.1', 'python-requests/2.31.0'];

type Variant = 'network' | 'client' | 'person';

function session(plant: Plant, seat: Seat, start: number, context: Record<string, string>, rng: Rng): Line[] {
  const spec = plant.specOf.get(seat.agent)!;
  for (let attempt = 0; attempt < 20; attempt++) {
    const out: Line[] = [];
    runSteps(spec, seat, spec.procs[rng.weighted(seat.procs)]!, start, context, rng, out);
    if (out.length >= 2) return out;
  }
  return [makeLine(spec, seat, rng.pick(Object.keys(seat.procs)), start, context, rng)];
}

function plantOddContext(plant: Plant, seat: Seat, rng: Rng, variant: Variant): void {
  const id = nextId(plant, 'odd_context');
  const at = anchor(plant, seat.agent, rng);
  let lines: Line[] = [];
  if (variant === 'person') {
    const seenHours = new Set(normalOf(plant, seat.agent).map((l) => new Date(l.ms).getUTCHours()));
    const free = Array.from({ length: 24 }, (_, h) => h).filter((h) => !seenHours.has(h));
    const context = { ...at.context, onBehalfOf: personName(rng, 'freemail.example', '.ext') };
    for (let attempt = 0; attempt < 40 && lines.length < 2; attempt++) {
      const hour = rng.pick(free);
      const start = START_MS + dayOf(at.ms) * DAY_MS + hour * 3_600_000 + rng.int(30, 400) * 1000;
      lines = session(plant, seat, start, context, rng).filter((l) => !seenHours.has(new Date(l.ms).getUTCHours()));
    }
  } else {
    const context = { ...at.context };
    if (variant === 'network') context.sourceNetwork = rng.pick(PUBLIC_NETS);
    else context.userAgent = rng.pick(SCRIPTS);
    lines = session(plant, seat, at.ms + rng.int(20, 90) * 1000, context, rng);
  }
  for (const l of lines) plant.lines.push(mark(l, 'odd_context', id));
}

export function freeHours(plant: Plant, agent: string): number {
  const seen = new Set(normalOf(plant, agent).map((l) => new Date(l.ms).getUTCHours()));
  return 24 - seen.size;
}

/** Plants every kind but odd sequences, agent by agent. */
export function plantIncidents(plant: Plant): void {
  const perArchetype = new Map<string, number>();
  let rotation = 0;
  plant.seats.forEach((seat, index) => {
    const rng = plant.rng.fork(`incidents-${seat.agent}`);
    const k = perArchetype.get(seat.archetype) ?? 0;
    perArchetype.set(seat.archetype, k + 1);
    if (k % 2 === 0 && plant.days >= 35) plantDrift(plant, seat, rng.fork('drift'));
    plantBulk(plant, seat, rng.fork('bulk-money'), true);
    plantBulk(plant, seat, rng.fork('bulk-items'), false);
    plantNewTool(plant, seat, rng.fork('new-tool'), index);
    plantBurst(plant, seat, rng.fork('burst'));
    let variant: Variant = (['network', 'client', 'person'] as const)[rotation % 3]!;
    rotation++;
    if (variant === 'person' && freeHours(plant, seat.agent) < 3) {
      variant = rotation % 2 ? 'network' : 'client';
      rotation--;
    }
    plantOddContext(plant, seat, rng.fork('context'), variant);
  });
}
