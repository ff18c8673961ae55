/**
 * The vocabulary of the fifth trace family (bench/detector/families/fifth.ts): desks (one per archetype) with
 * their tools, operations and procedures, the profiles of the agents that staff them, and the walk that turns a
 * procedure (optional steps, loops, choices, retries, a gradually adopted tool) into a list of operations.
 */
import type { TraceLine } from '../generate-traces.js';
import type { Dice, Zone } from './fifth-random.js';

export type Sensitivity = TraceLine['sensitivity'];

export interface OpSpec {
  tool: string;
  sensitivity: Sensitivity;
  /** Median records or items touched; `volumeSpread` is the sigma of its logarithm (0: always this value). */
  volume: number;
  volumeSpread?: number;
  /** Median money moved (absent: none). */
  amount?: number;
  amountSpread?: number;
}

/**
 * One step of a procedure: an operation, or
 *  - `maybe`: the steps run with probability p;
 *  - `loop`: the body runs n times, n uniform in [min, max];
 *  - `either`: one weighted branch (a branch may be empty);
 *  - `retry`: the operation, repeated up to twice more with probability p each time;
 *  - `adopt`: steps run with the agent's adoption probability of the day (a new tool taken up gradually).
 */
export type Step =
  | string
  | { maybe: number; then: Step[] }
  | { loop: [number, number]; body: Step[] }
  | { either: [number, Step[]][] }
  | { retry: string; p: number }
  | { adopt: Step[] };

/** A sensitive operation on a tool the desk never uses (for `new_tool` incidents). */
export interface ForeignOp {
  tool: string;
  resource: string;
  operation: string;
  sensitivity: 'HIGH' | 'CRITICAL';
  volume: number;
  amount?: number;
}

export interface Weekly {
  /** 0 Monday … 6 Sunday. */
  weekday: number;
  /** Local hours of the batch window. */
  hours: [number, number];
  procedure: string;
  /** Extra sessions of the procedure in the window. */
  sessions: [number, number];
  amountScale: [number, number];
  volumeScale: [number, number];
}

export interface Gradual<T> {
  day: number;
  /** Days from the first use to the full switch. */
  ramp: number;
  to: T;
}

export interface Profile {
  role: string;
  platform: string;
  zone: Zone;
  /** Local working hours [from, to); [0, 24] is around the clock. */
  hours: [number, number];
  /** Work factor Monday … Sunday. */
  week: [number, number, number, number, number, number, number];
  /** Requests on a full weekday. */
  perDay: number;
  /** Legitimate growth of the work per day (fraction). */
  growth?: number;
  mix: Record<string, number>;
  /** People the agent acts for (0: it names nobody). */
  people: number;
  /** `one`: one session at a time; `people`: one per person, people overlap; `cases`: cases overlap freely. */
  lanes: 'one' | 'people' | 'cases';
  /** Median seconds between steps. */
  pace: number;
  networks: string[];
  client: string;
  upgrade?: Gradual<string>;
  move?: Gradual<string>;
  /** The adopted tool's steps run with probability ramp × `to` from `day` on. */
  adoption?: Gradual<number>;
  /** Day a new colleague starts (an extra person). */
  joiner?: number;
  weekly?: Weekly;
  /** Runs at fixed local hours on every working day (a scheduler). */
  scheduled?: { hour: number; procedure: string }[];
}

export interface Desk {
  archetype: string;
  prefix: string;
  /** E-mail domain of the people the desk acts for. */
  domain: string;
  tools: Record<string, string>;
  ops: Record<string, OpSpec>;
  procedures: Record<string, Step[]>;
  foreign: ForeignOp[];
  /** Operations whose volume may drift (incidents). */
  driftOps: string[];
  /** The day the desk's main system is down (work resumes, doubled, the next morning). */
  outageDay: number;
  profiles: [Profile, Profile, Profile, Profile];
}

export interface Walked {
  ops: string[];
  /** Steps that repeat a loop body or a retry come faster. */
  quick: boolean[];
}

export function walk(steps: Step[], dice: Dice, adoptP: number, out: Walked = { ops: [], quick: [] }, quick = false) {
  for (const step of steps) {
    if (typeof step === 'string') {
      out.ops.push(step);
      out.quick.push(quick);
    } else if ('maybe' in step) {
      if (dice.chance(step.maybe)) walk(step.then, dice, adoptP, out, quick);
    } else if ('loop' in step) {
      const n = dice.int(step.loop[0], step.loop[1]);
      for (let i = 0; i < n; i++) walk(step.body, dice, adoptP, out, quick || i > 0);
    } else if ('either' in step) {
      walk(dice.weighted(step.either.map(([w, branch]) => [w, branch] as const)), dice, adoptP, out, quick);
    } else if ('retry' in step) {
      out.ops.push(step.retry);
      out.quick.push(quick);
      for (let k = 0; k < 2 && dice.chance(step.p); k++) {
        out.ops.push(step.retry);
        out.quick.push(true);
      }
    } else if (adoptP > 0 && dice.chance(adoptP)) walk(step.adopt, dice, adoptP, out, quick);
  }
  return out;
}

/** Probability of a gradual change on a day: 0 before it starts, rising to 1 over `ramp` days. */
export function rampOf(change: { day: number; ramp: number } | undefined, day: number): number {
  if (!change || day < change.day) return 0;
  return Math.min(1, (day - change.day + 1) / Math.max(1, change.ramp));
}
