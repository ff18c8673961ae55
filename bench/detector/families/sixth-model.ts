/**
 * Vocabulary of the sixth trace family (bench/detector/families/sixth.ts): an office (one per archetype) owns its
 * tools, operations and playbooks; each seat is an agent profile with its clock, rhythm, people, networks and
 * client; a playbook is a small step program (optional steps, weighted branches, loops, retries, and steps of a
 * tool the office is still adopting) that `play` unrolls into the list of operations of one session.
 */
import type { TraceLine } from '../generate-traces.js';
import type { Rng, Zone } from './sixth-rng.js';

export type Sensitivity = TraceLine['sensitivity'];

export interface Operation {
  tool: string;
  sens: Sensitivity;
  /** Median records or items touched, and the sigma of its logarithm (0: always the median). */
  items: [number, number];
  /** Median money moved and its log sigma, for operations that move money. */
  money?: [number, number];
  /** Legitimate growth of the items touched, per day (0.006: +0.6 % a day). */
  growth?: number;
}

/**
 * A step: an operation name; `maybe` (steps done with probability p); `either` (one weighted branch); `loop`
 * (the body min–max times); `retry` (the operation, then again with probability p, at most twice more);
 * `adopt` (steps done with the office's adoption probability of that tool on the day).
 */
export type Step =
  | string
  | { maybe: number; steps: Step[] }
  | { either: [number, Step[]][] }
  | { loop: [number, number]; steps: Step[] }
  | { retry: number; op: string }
  | { adopt: string; steps: Step[] };

/** A tool adopted gradually: nobody before `from`, everyone after `from + over` days (seat lag added). */
export interface Adoption {
  from: number;
  over: number;
}

/** A sensitive operation on a tool the office never uses (for new_tool incidents). */
export interface ForeignOp {
  tool: string;
  resource: string;
  op: string;
  sens: 'HIGH' | 'CRITICAL';
  items: number;
  money?: number;
}

/** A scheduled job: a playbook at fixed local times, or every `every` minutes. */
export interface Job {
  playbook: string;
  at?: number[];
  every?: number;
  /** Only on these days (local day numbers); otherwise on `weekdaysOnly` or every day. */
  days?: number[];
  weekdaysOnly?: boolean;
}

/** A legitimate peak: ad hoc sessions ×factor on these days, optionally another playbook mix or job swap. */
export interface Peak {
  days: number[];
  factor: number;
  mix?: Record<string, number>;
  /** Jobs run another playbook on these days (e.g. the storm variant of a meter cycle). */
  swap?: Record<string, string>;
}

export type Shape = 'office' | 'long-day' | 'round-the-clock' | 'shopper';

export type People =
  | { mode: 'none' }
  /** One session at a time, each for one of `team` people; `joiner`: a colleague who starts that day. */
  | { mode: 'serial' | 'parallel'; team: number; joiner?: number }
  /** Round-the-clock shifts (06–14, 14–22, 22–06 local), `perShift` people each, sessions interleaved. */
  | { mode: 'shifts'; perShift: number };

export interface Network {
  cidr: string;
  weight: number;
  from?: number;
  until?: number;
}

export interface Seat {
  role: string;
  zone: Zone;
  platform: string;
  client: string;
  upgrade?: { day: number; client: string };
  networks: Network[];
  people: People;
  shape: Shape;
  /** Local hours [from, to) in which ad hoc sessions start. */
  hours: [number, number];
  /** Mean ad hoc sessions on a weekday; weekends ×`weekend`. */
  sessions: number;
  weekend: number;
  /** Median seconds between two steps of a session. */
  pace: number;
  mix: Record<string, number>;
  jobs?: Job[];
  peaks?: Peak[];
  /** Days the seat lags the office's adoption of new tools. */
  lag?: number;
  /** The operation whose volume drifts (for drift incidents). */
  drift?: string;
}

export interface Office {
  archetype: string;
  prefix: string;
  domain: string;
  tools: Record<string, string>;
  ops: Record<string, Operation>;
  playbooks: Record<string, Step[]>;
  adoptions: Record<string, Adoption>;
  foreign: ForeignOp[];
  seats: Seat[];
}

/** Unrolls a playbook into operation names. `adoption(tool)` is the chance to use a tool being adopted. */
export function play(steps: readonly Step[], rng: Rng, adoption: (tool: string) => number, out: string[] = []) {
  for (const step of steps) {
    if (typeof step === 'string') out.push(step);
    else if ('maybe' in step) {
      if (rng.chance(step.maybe)) play(step.steps, rng, adoption, out);
    } else if ('either' in step) play(rng.weighted(step.either.map(([w, s]) => [s, w] as const)), rng, adoption, out);
    else if ('loop' in step) {
      const times = rng.int(step.loop[0], step.loop[1]);
      for (let i = 0; i < times; i++) play(step.steps, rng, adoption, out);
    } else if ('retry' in step) {
      out.push(step.op);
      for (let i = 0; i < 2 && rng.chance(step.retry); i++) out.push(step.op);
    } else if (rng.chance(adoption(step.adopt))) play(step.steps, rng, adoption, out);
  }
  return out;
}

/** Relative arrival density of ad hoc sessions at a local hour. */
export function density(shape: Shape, hour: number): number {
  switch (shape) {
    case 'office':
      if (hour < 9) return 0.6;
      if (hour >= 10 && hour < 11.5) return 1.2;
      if (hour >= 12 && hour < 13.5) return 0.5;
      return hour >= 16 ? 0.7 : 1;
    case 'long-day':
      return hour < 8 || hour >= 18 ? 0.65 : 1;
    case 'round-the-clock':
      if (hour < 6) return 0.3;
      return hour < 8 || hour >= 20 ? 0.6 : 1;
    case 'shopper':
      if (hour < 6) return 0.08;
      if (hour < 9) return 0.35;
      if (hour < 12) return 0.6;
      if (hour < 14) return 0.8;
      if (hour < 18) return 0.65;
      return hour < 22 ? 1.2 : 0.5;
  }
}
