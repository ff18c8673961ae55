/**
 * The fourth family's vocabulary (see fourth.ts): operations, work flows (sequences with optional steps, loops,
 * choices and a step adopted gradually), desks with their people and rhythms, and the shape of an archetype.
 * The archetypes themselves are in fourth-desks-*.ts.
 */
import type { TraceLine } from '../generate-traces.js';

export type Sensitivity = TraceLine['sensitivity'];

export interface OpDef {
  tool: string;
  sens: Sensitivity;
  /** Median records/items touched and the log-scale spread. */
  vol: [number, number];
  /** Median money moved and its log-scale spread, for operations that move money. */
  amt?: [number, number];
  /** Operations sharing a key reuse one amount within a session (a requisition's total through approval). */
  amtKey?: string;
  /** Median seconds of work before this step. */
  gap: number;
  /** Chance that the call times out and is sent again straight away. */
  retry?: number;
}

export const op = (
  tool: string,
  sens: Sensitivity,
  vol: [number, number],
  gap: number,
  extra: Partial<Pick<OpDef, 'amt' | 'amtKey' | 'retry'>> = {},
): OpDef => ({ tool, sens, vol, gap, ...extra });

/** A work flow: an operation, or steps in order, an optional part, a loop, a weighted choice, an adopted step. */
export type Flow =
  | string
  | { seq: Flow[] }
  | { opt: number; flow: Flow }
  | { rep: [number, number]; flow: Flow }
  | { alt: [number, Flow][] }
  | { adopt: string };

export const seq = (...flow: Flow[]): Flow => ({ seq: flow });
export const opt = (p: number, ...flow: Flow[]): Flow => ({
  opt: p,
  flow: flow.length === 1 ? flow[0]! : seq(...flow),
});
export const rep = (min: number, max: number, ...flow: Flow[]): Flow => ({
  rep: [min, max],
  flow: flow.length === 1 ? flow[0]! : seq(...flow),
});
export const alt = (...choices: [number, Flow][]): Flow => ({ alt: choices });
/** A step of the gradually adopted tool: taken with a probability that rises after the agent's adoption day. */
export const adopt = (name: string): Flow => ({ adopt: name });

export interface Procedure {
  name: string;
  weight: number;
  /** People roles that ask for it; absent: anyone (and the agent's own queue when it names nobody). */
  roles?: string[];
  flow: Flow;
}

/** An operation the archetype never uses, for new_tool incidents. */
export interface Foreign {
  tool: string;
  uri: string;
  operation: string;
  sens: 'HIGH' | 'CRITICAL';
  vol: number;
  amt?: number;
}

/** One desk: how one agent of the archetype is deployed. */
export interface Desk {
  platform: string;
  /** Local offset from UTC, minutes (these places keep one offset all year). */
  tz: number;
  /** `interleave`: several people's sessions at once; `single`: one session at a time; `none`: names nobody. */
  mode: 'interleave' | 'single' | 'none';
  /** Sessions on an ordinary working day (weekday factor 1). */
  perDay: number;
  /** People it works for, by role (empty for `none`). */
  people: Record<string, number>;
  /** The procedures this desk runs (default: all of the archetype's). */
  procs?: string[];
  /** Weight multipliers of procedures on this desk (a small office does more of the hands-on work). */
  weights?: Record<string, number>;
  /** A nightly job at this local hour (fraction allowed), run as one session. */
  batch?: { hour: number; proc: string };
  /** Client software name; the version is bumped once mid-trace. */
  client: string;
  /** Multiplier on step gaps (an agent that waits on people is slower). */
  pace: number;
  /** Calendar anchors (days from the start): the first day of term, a catastrophe event. */
  termStart?: number;
  catDay?: number;
  /** Moves to a new office subnet mid-trace. */
  moves?: boolean;
}

export interface Calendar {
  /** Session-rate multiplier for the day. */
  rate: number;
  /** Weight multipliers of procedures for the day. */
  procs?: Record<string, number>;
}

export interface ArchetypeDef {
  archetype: string;
  /** Agent id prefix: `<prefix>-<n>`. */
  prefix: string;
  domain: string;
  tools: Record<string, string>;
  ops: Record<string, OpDef>;
  procedures: Procedure[];
  /** LOW look-ups done off-procedure now and then. */
  lookups: string[];
  /** The gradually adopted operation: adoption starts on a day in `from`, reaches `p` after `ramp` days. */
  adoption: { op: string; from: [number, number]; ramp: number; p: number };
  /** Local-hour control points of the daily rhythm (linear in between, wrapping at 24). */
  profile: [number, number][];
  /** Monday … Sunday rate factors. */
  weekdays: number[];
  desks: Desk[];
  foreign: Foreign[];
  /** Candidates for bulk_volume (a request 30–300× the usual), burst (routine LOW/MEDIUM) and drift. */
  bulkOps: string[];
  burstOps: string[];
  driftOps: string[];
  calendar?: (desk: Desk, day: number, weekday: number) => Calendar;
  /** Legitimate alert storms: how many, how long, how much faster, which procedure. */
  storms?: { count: [number, number]; minutes: [number, number]; factor: [number, number]; proc: string };
  /** People of these roles work shifts: weekdays 07–19 local, and one on-call person at all other hours. */
  shifts?: { day: string; onCall: string };
}

// prettier-ignore
export const GIVEN = [
  'Amara', 'Bastian', 'Chiara', 'Dmitri', 'Esi', 'Farhan', 'Greta', 'Hiroshi', 'Ines', 'Joaquin', 'Kalani',
  'Lucia', 'Mateus', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sanjay', 'Tove', 'Umar', 'Valentina',
  'Wiremu', 'Xiomara', 'Yusuf', 'Zanele', 'Anouk', 'Bongani', 'Camille', 'Dev',
];
// prettier-ignore
export const FAMILY = [
  'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Abara', 'Castell', 'Novak', 'Ferreira', 'Haddad', 'Iyer',
  'Jansen', 'Kowalczyk', 'Mbeki', 'Nakamura', 'Oyelaran', 'Petrov', 'Quispe', 'Rahman', 'Sorensen', 'Thapa',
];

/** Networks outside every desk's offices and VPNs (documentation and benchmarking ranges), for odd_context. */
export const OUTSIDE_NETS = ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24', '198.18.44.0/24', '198.19.201.0/24'];
export const ODD_CLIENTS = ['curl/8.7.1', 'python-requests/2.32.3', 'curl/7.88.1', 'python-requests/2.28.2'];
