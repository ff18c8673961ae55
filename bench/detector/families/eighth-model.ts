/**
 * The shapes of the eighth trace family (bench/detector/families/eighth.ts). A desk is one archetype: its tools,
 * operations, procedures (step programs with optional steps, weighted branches, loops, polls and retries), the
 * organisation's sensitive tools none of its seats touch, the day-to-day mood of its business (peaks) and four seat
 * templates. A seat template is one agent: platform, zone, hours and week, pace, people served, scheduled jobs,
 * network and client, and the slow legitimate changes it goes through.
 */
import type { TraceLine } from '../generate-traces.js';
import type { Zone } from './eighth-rng.js';

export type Sens = TraceLine['sensitivity'];

export interface OpSpec {
  tool: string;
  sens: Sens;
  /** Median records or items per request, and the log-spread around it. */
  vol: readonly [number, number];
  /** Median money per request (currency of the desk) and its log-spread; absent: no money moves. */
  amt?: readonly [number, number];
}

/** One step of a procedure. */
export type Step =
  | {
      op: string;
      /** Probability the step happens (default 1). */
      p?: number;
      /** Probability it is sent again right away (a retry after a timeout). */
      retry?: number;
      /** Back-to-back repetitions (a poll), default 1. */
      reps?: readonly [number, number];
      /** Seconds before this step, overriding the seat's pace. */
      wait?: readonly [number, number];
      /** Only once the seat has adopted this capability (SeatPlan.adopts). */
      gate?: string;
    }
  | { pick: ReadonlyArray<readonly [number, readonly Step[]]>; p?: number }
  | { loop: readonly Step[]; times: readonly [number, number] };

export interface Mood {
  /** Multiplier on ad-hoc sessions. */
  load: number;
  /** Multiplier on the frequency of scheduled jobs. */
  jobs?: number;
  /** Multipliers on procedure weights. */
  boost?: Readonly<Record<string, number>>;
  /** Multipliers on per-request volume of operations (a bigger appeal, a larger batch). */
  scale?: Readonly<Record<string, number>>;
  /** Extra sessions of one procedure in a local window, for seats working in shifts (an outage night). */
  night?: { proc: string; sessions: number; hours: readonly [number, number] };
}

export interface Job {
  proc: string;
  /** Minutes between runs. */
  every: number;
  /** Local hours [from, to). */
  hours: readonly [number, number];
  /** Probability of running, Monday … Sunday. */
  week: readonly number[];
}

export interface SeatPlan {
  /** A line of description (for the family's write-up). */
  role: string;
  platform: string;
  zone: Zone;
  /** Local working hours [from, to) for ad-hoc sessions; `to` may pass 24. */
  hours: readonly [number, number];
  /** Probability of working, Monday … Sunday. */
  week: readonly number[];
  /** Mean ad-hoc sessions per working day (all people together). */
  sessions: number;
  procs: ReadonlyArray<readonly [number, string]>;
  /** People served: 0 for a bot naming nobody; with `shifts`, person i works shift i % 3 around the clock. */
  people: number;
  shifts?: boolean;
  /** Seconds between steps of a session. */
  pace: readonly [number, number];
  jobs?: readonly Job[];
  network: string;
  /** The office or VPC network changes on this day (a two-day overlap). */
  moves?: { day: number; network: string };
  client: string;
  /** The client is upgraded, rolled out over three days. */
  upgrade?: { day: number; client: string };
  /** New colleagues start being served on these days. */
  joiners?: readonly number[];
  /** Capabilities adopted gradually: the gated steps start on `from` and reach full use after `ramp` days. */
  adopts?: Readonly<Record<string, { from: number; ramp: number }>>;
  /** The operation that drifts when this seat is picked for a drift. */
  drift?: string;
}

export interface Desk {
  archetype: string;
  prefix: string;
  /** Domain of the people served. */
  domain: string;
  /** Tool name → resource URI. */
  tools: Readonly<Record<string, string>>;
  ops: Readonly<Record<string, OpSpec>>;
  procs: Readonly<Record<string, readonly Step[]>>;
  /** Sensitive operations on tools no seat of the desk uses: [tool, operation, sensitivity]. */
  foreign: ReadonlyArray<readonly [string, string, Sens]>;
  mood(day: number): Mood;
  seats: readonly SeatPlan[];
}

/** A line while it is built: its epoch time and its session. */
export interface Draft {
  ms: number;
  line: TraceLine;
  session: number;
}

export const FIRST_NAMES = [
  'amara', 'bilal', 'chiara', 'dmitri', 'esi', 'farah', 'goran', 'hana', 'ikaika', 'jonas', 'keiko', 'lucia',
  'mateus', 'nadia', 'oisin', 'priya', 'quentin', 'rosa', 'sefa', 'tomasz', 'uma', 'viktor', 'wen', 'yara', 'zeno',
] as const; // prettier-ignore

export const LAST_NAMES = [
  'abara', 'brandt', 'castellanos', 'duarte', 'eriksen', 'fontaine', 'gallagher', 'hayashi', 'iyer', 'janssen',
  'kowalczyk', 'lindqvist', 'mensah', 'novak', 'okafor', 'pereira', 'quispe', 'rahman', 'sato', 'tremblay',
] as const; // prettier-ignore
