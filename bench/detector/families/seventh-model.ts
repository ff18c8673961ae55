/**
 * The shapes of the seventh trace family (bench/detector/families/seventh.ts): a desk (one per archetype) owns its
 * tools, operations, step programs and the sensitive tools of the organisation none of its seats ever touches; a
 * seat (one agent) has its platform, zone, hours, pace, people, networks, clients, scheduled jobs, peaks and the
 * slow changes it goes through.
 */
import type { TraceLine } from '../generate-traces.js';
import type { Zone } from './seventh-rng.js';

export type Sens = TraceLine['sensitivity'];

export interface OpDef {
  tool: string;
  sens: Sens;
  /** Median items touched per request (0: none). */
  vol: number;
  /** Log-spread of the items; default 0.45. */
  volSpread?: number;
  /** Median money moved per request, when the operation moves money. */
  amt?: number;
  /** Fixed amounts (tiers) instead of a log-normal amount. */
  amtSet?: number[];
}

/**
 * A step program: an operation, an optional block, a weighted choice, a loop, a call retried on failure, or a block
 * run only once the seat has adopted its new tool (with a probability rising over the adoption period).
 */
export type Step =
  | string
  | { opt: number; then: Step[] }
  | { pick: [number, Step[]][] }
  | { loop: [number, number]; body: Step[] }
  | { retry: string; p: number }
  | { adopted: Step[] };

export interface Person {
  email: string;
  /** First day the person delegates (their share grows over a week). */
  from?: number;
  /** Local hours of the person's shift [start, end) (may wrap midnight). */
  shift?: [number, number];
}

export interface Cron {
  /** Every N minutes around the clock … */
  every?: number;
  /** … or at these local times, "HH:MM". */
  at?: string[];
  proc: string;
  /** Days of the week (0 Monday … 6 Sunday); default all. */
  dow?: number[];
}

export interface Peak {
  days: number[];
  /** Multiplies the ad hoc sessions of the day … */
  factor?: number;
  /** … or adds this many sessions. */
  extra?: number;
  /** Local hours [start, end) the extra sessions fall in; default the seat's hours. */
  window?: [number, number];
  /** The procedures of the extra sessions; default the seat's. */
  procs?: [number, string][];
}

export type Curve = 'office' | 'flat' | 'night_thin' | 'evening';

export interface Seat {
  /** Agent name stem, e.g. `air-1`. */
  name: string;
  role: string;
  platform: string;
  zone: Zone;
  /** Local hours [start, end) of ad hoc sessions (may wrap midnight; [0, 24] round the clock). */
  hours: [number, number];
  curve: Curve;
  /** Weekend factor on the session rate (0: idle). */
  weekend: number;
  /** Ad hoc sessions per weekday. */
  rate: number;
  procs: [number, string][];
  /** People the seat acts for; none: the seat names nobody. */
  people?: Person[];
  /** Several people's sessions overlap (one lane per person). */
  interleave?: boolean;
  /** Median seconds between steps. */
  pace: number;
  /** Office networks; a move (entry with `from`) keeps both in use on its first two days. */
  networks: { from: number; cidr: string }[];
  /** Clients; an upgrade (entry with `from`) rolls out over two days. */
  clients: { from: number; ua: string }[];
  cron?: Cron[];
  peaks?: Peak[];
  /** The seat's new tool: first day and days until always used. */
  adopt?: { from: number; over: number };
  /** Growth of the session rate per day (e.g. 0.005). */
  growth?: number;
  /** The operation that drifts, on seats chosen for drift. */
  drift?: string;
}

export interface ForeignOp {
  tool: string;
  uri: string;
  op: string;
  sens: Sens;
  vol: number;
  amt?: number;
}

export interface Desk {
  archetype: string;
  tools: Record<string, string>;
  ops: Record<string, OpDef>;
  procs: Record<string, Step[]>;
  /** Sensitive tools of the organisation that no seat of the desk uses. */
  foreign: ForeignOp[];
  seats: Seat[];
}
