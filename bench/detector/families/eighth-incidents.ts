/**
 * Injected anomalies of the eighth trace family (bench/detector/families/eighth.ts), planted into one seat's
 * ordinary traffic from day 10 on, each incident on a day of its own for the seat:
 *   drift          a sustained compounding rise of one operation's volume, labelled once it passes 3× the start,
 *                  ended by one `post_drift-<n>` request (label bulk_volume) at ~80× the original level;
 *   bulk_volume    an ordinary request whose items or money become 40–220× the seat's median for the operation;
 *   new_tool       a HIGH/CRITICAL operation on a tool the seat never used, inside one of its sessions;
 *   odd_sequence   a routine MEDIUM or HIGH operation sent 2–3 times within two minutes right after a step it
 *                  never follows (for that person or for the seat), in the same context, at normal volumes;
 *   burst          150–600 requests of a routine LOW/MEDIUM operation within 3–14 minutes;
 *   odd_context    a routine session from a public network, from curl/python-requests, or for a stranger at an
 *                  hour the seat never works.
 */
import type { TraceLine } from '../generate-traces.js';
import type { Seat } from './eighth-engine.js';
import { type Draft, FIRST_NAMES, LAST_NAMES, type Sens } from './eighth-model.js';
import { localToMs, type Rng, START_MS, utcDay } from './eighth-rng.js';

const DAY_MS = 86_400_000;
const PUBLIC_NETS = [
  '185.220.101.0/24', '45.155.204.0/24', '102.129.143.0/24', '91.219.236.0/24', '193.32.162.0/24',
  '5.188.86.0/24', '89.248.165.0/24', '141.98.11.0/24', '198.54.117.0/24', '37.120.233.0/24',
] as const; // prettier-ignore
const ODD_CLIENTS = ['curl/8.5.0', 'python-requests/2.31.0', 'curl/7.88.1', 'python-requests/2.32.3'] as const;

export class Ids {
  private readonly counts = new Map<string, number>();
  next(kind: string): string {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    return `${kind}-${n}`;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const threadOf = (l: TraceLine) => l.context.onBehalfOf ?? '';

export class Planter {
  readonly extra: Draft[] = [];
  private readonly used = new Set<number>();
  private readonly seqThread = new Set<string>();
  private readonly seqAgent = new Set<string>();
  private readonly uses = new Map<string, number>();
  private readonly next: Map<Draft, number> = new Map();
  private driftOp: string | null = null;

  constructor(
    readonly seat: Seat,
    readonly drafts: Draft[],
    private readonly rng: Rng,
    private readonly ids: Ids,
  ) {
    const last = new Map<string, string>();
    let prev: string | null = null;
    drafts.forEach((d, i) => {
      const op = d.line.operation;
      const t = threadOf(d.line);
      if (last.has(t)) this.seqThread.add(`${t}|${last.get(t)}>${op}`);
      if (prev !== null) this.seqAgent.add(`${prev}>${op}`);
      last.set(t, op);
      prev = op;
      this.uses.set(op, (this.uses.get(op) ?? 0) + 1);
      this.next.set(d, drafts[i + 1]?.ms ?? Infinity);
    });
  }

  private normalOf(op: string): Draft[] {
    return this.drafts.filter((d) => d.line.operation === op && d.line.label === 'normal');
  }

  /** Free days (UTC, from day 10) with ordinary traffic, in a random order. */
  private days(): number[] {
    const days = new Set(this.drafts.map((d) => utcDay(d.ms)).filter((d) => d >= 10 && !this.used.has(d)));
    return this.rng.shuffle([...days].sort((a, b) => a - b));
  }

  /** Try `plant` on free days until it succeeds; the day is then used. */
  private onSomeDay(plant: (day: number, on: Draft[]) => boolean): boolean {
    for (const day of this.days()) {
      const on = this.drafts.filter((d) => utcDay(d.ms) === day && d.line.label === 'normal');
      if (plant(day, on)) {
        this.used.add(day);
        return true;
      }
    }
    return false;
  }

  private add(line: TraceLine, ms: number, label: TraceLine['label'], incident: string): void {
    this.extra.push({ ms, line: { ...line, time: new Date(ms).toISOString(), label, incident }, session: -1 });
  }

  drift(days: number): boolean {
    const op = this.seat.plan.drift;
    if (!op) return false;
    const lines = this.normalOf(op);
    const usual = median(lines.filter((d) => utcDay(d.ms) < 10).map((d) => d.line.volume));
    const startDay = 10 + this.rng.int(0, 3);
    const rise = Math.min(this.rng.int(14, 19), days - 3 - startDay);
    if (rise < 9 || usual <= 0) return false;
    const rate = Math.max(this.rng.range(0.09, 0.14), Math.pow(3, 1 / (rise - 4)) - 1);
    const start = localToMs(this.seat.plan.zone, startDay, this.seat.plan.hours[0] * 60);
    const end = start + rise * DAY_MS;
    const last = [...lines].reverse().find((d) => d.ms < end && d.ms >= end - 4 * DAY_MS);
    if (!last) return false;
    const id = this.ids.next('drift');
    for (const d of lines) {
      if (d.ms < start || d.ms > last.ms) continue;
      const factor = Math.pow(1 + rate, (d.ms - start) / DAY_MS);
      d.line.volume = Math.max(1, Math.round(d.line.volume * factor));
      if (factor >= 3 && utcDay(d.ms) >= 10) Object.assign(d.line, { label: 'drift', incident: id });
    }
    const ms = last.ms + this.rng.int(30_000, 120_000);
    const jump = { ...last.line, volume: Math.round(usual * this.rng.range(78, 82)) };
    this.add(jump, ms, 'bulk_volume', this.ids.next('post_drift'));
    this.used.add(utcDay(ms));
    this.driftOp = op;
    return true;
  }

  /** A routine operation of the given sensitivity, repeated right after a step it never follows. */
  oddSequence(sens: Sens): boolean {
    const ops = [...this.uses]
      .filter(([op, n]) => n >= 8 && op !== this.driftOp && this.seat.desk.ops[op]!.sens === sens)
      .map(([op]) => op)
      .filter((op) => !this.seqAgent.has(`${op}>${op}`));
    if (!ops.length) return false;
    return this.onSomeDay((_, on) => {
      for (const l of this.rng.shuffle(on)) {
        if (l.line.operation === this.driftOp || this.next.get(l)! - l.ms < 5 * 60_000) continue;
        const t = threadOf(l.line);
        const fits = ops.filter(
          (op) =>
            op !== l.line.operation &&
            !this.seqAgent.has(`${l.line.operation}>${op}`) &&
            !this.seqThread.has(`${t}|${l.line.operation}>${op}`) &&
            !this.seqThread.has(`${t}|${op}>${op}`),
        );
        if (!fits.length) continue;
        const op = this.rng.pick(fits);
        const id = this.ids.next('odd_sequence');
        let ms = l.ms + this.rng.int(15_000, 50_000);
        for (let i = this.rng.int(2, 3); i > 0; i--) {
          this.add(this.seat.request(op, ms, l.line.context, this.rng), ms, 'odd_sequence', id);
          ms += this.rng.int(12_000, 35_000);
        }
        return true;
      }
      return false;
    });
  }

  newTool(): boolean {
    const desk = this.seat.desk;
    const mine = new Set(this.drafts.map((d) => d.line.tool));
    const options: Array<[string, string, Sens]> = desk.foreign.filter(([tool]) => !mine.has(tool)).map((f) => [...f]);
    for (const [op, spec] of Object.entries(desk.ops))
      if (!mine.has(spec.tool) && (spec.sens === 'HIGH' || spec.sens === 'CRITICAL'))
        options.push([spec.tool, op, spec.sens]);
    if (!options.length) return false;
    const [tool, op, sens] = this.rng.pick(options);
    return this.onSomeDay((_, on) => {
      const l = this.rng.shuffle(on).find((d) => this.next.get(d)! - d.ms > 4 * 60_000);
      if (!l) return false;
      const id = this.ids.next('new_tool');
      const own = desk.ops[op];
      let ms = l.ms + this.rng.int(20_000, 90_000);
      for (let i = this.rng.int(1, 2); i > 0; i--) {
        const line = own
          ? this.seat.request(op, ms, l.line.context, this.rng)
          : {
              ...l.line,
              tool,
              toolResource: `https://${tool}.${desk.domain}/api/`,
              operation: op,
              sensitivity: sens,
              volume: this.rng.int(1, 6),
              amount: 0,
            };
        this.add(line, ms, 'new_tool', id);
        ms += this.rng.int(10_000, 60_000);
      }
      return true;
    });
  }

  burst(): boolean {
    const ops = [...this.uses]
      .filter(([op, n]) => n >= 8 && op !== this.driftOp && ['LOW', 'MEDIUM'].includes(this.seat.desk.ops[op]!.sens))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([op]) => op);
    if (!ops.length) return false;
    const op = this.rng.pick(ops);
    return this.onSomeDay((_, on) => {
      const l = on.length ? this.rng.pick(on) : undefined;
      if (!l) return false;
      const id = this.ids.next('burst');
      const start = l.ms + this.rng.int(5_000, 30_000);
      const span = this.rng.range(3, 14) * 60_000;
      const times = Array.from({ length: this.rng.int(150, 600) }, () => start + Math.floor(this.rng.next() * span));
      for (const ms of times.sort((a, b) => a - b))
        this.add(this.seat.request(op, ms, l.line.context, this.rng), ms, 'burst', id);
      return true;
    });
  }

  private routineProc(): string {
    const plan = this.seat.plan;
    return plan.procs.length ? this.rng.weighted(plan.procs) : plan.jobs![0]!.proc;
  }

  /** A routine session in a context never seen: a network, a client, or a stranger at an hour never worked. */
  oddContext(variant: 'network' | 'client' | 'person'): boolean {
    const normal = this.drafts.filter((d) => d.line.label === 'normal');
    const seen = (f: (l: TraceLine) => string | undefined) => new Set(normal.map((d) => f(d.line)));
    const hours = seen((l) => l.time.slice(11, 13));
    const people = seen((l) => l.context.onBehalfOf);
    const networks = seen((l) => l.context.sourceNetwork);
    const clients = seen((l) => l.context.userAgent);
    const idle = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')).filter((h) => !hours.has(h));
    if (variant === 'person' && !idle.length) return false;
    return this.onSomeDay((day, on) => {
      if (!on.length) return false;
      const l = this.rng.pick(on);
      const context = { ...l.line.context };
      let start = l.ms + this.rng.int(2, 10) * 60_000;
      if (variant === 'network') context.sourceNetwork = this.rng.pick(PUBLIC_NETS.filter((n) => !networks.has(n)));
      if (variant === 'client') context.userAgent = this.rng.pick(ODD_CLIENTS.filter((c) => !clients.has(c)));
      if (variant === 'person') {
        let who: string;
        do who = `${this.rng.pick(FIRST_NAMES)}.${this.rng.pick(LAST_NAMES)}@${this.seat.desk.domain}`;
        while (people.has(who));
        context.onBehalfOf = who;
        const hour = Number(this.rng.pick(idle));
        start = START_MS + day * DAY_MS + hour * 3_600_000 + this.rng.int(1, 12) * 60_000;
      }
      for (let attempt = 0; attempt < 12; attempt++) {
        let lines = this.seat.session(this.routineProc(), start, context, day, this.rng);
        if (variant === 'person') {
          const hour = new Date(start).toISOString().slice(11, 13);
          lines = lines.filter((d) => d.line.time.slice(11, 13) === hour);
        }
        if (lines.length < 2) continue;
        const id = this.ids.next('odd_context');
        for (const d of lines) this.add(d.line, d.ms, 'odd_context', id);
        return true;
      }
      return false;
    });
  }

  /** An ordinary request turned into one moving 40–220× the usual items (or money) of its operation. */
  bulk(byAmount: boolean): boolean {
    const ops = [...this.uses]
      .filter(([op, n]) => n >= 8 && op !== this.driftOp && Boolean(this.seat.desk.ops[op]!.amt) === byAmount)
      .map(([op]) => op);
    if (!ops.length) return byAmount ? this.bulk(false) : false;
    const op = this.rng.pick(ops);
    const same = this.normalOf(op);
    const usualVolume = Math.max(1, median(same.map((d) => d.line.volume)));
    const usualAmount = median(same.map((d) => d.line.amount));
    return this.onSomeDay((_, on) => {
      const l = on.find((d) => d.line.operation === op);
      if (!l) return false;
      const k = Math.exp(this.rng.range(Math.log(40), Math.log(220)));
      if (byAmount) l.line.amount = Math.round(usualAmount * k * 100) / 100;
      else l.line.volume = Math.round(usualVolume * k);
      l.line.volume = Math.min(l.line.volume, byAmount ? usualVolume * 3 : l.line.volume);
      Object.assign(l.line, { label: 'bulk_volume', incident: this.ids.next('bulk_volume') });
      return true;
    });
  }
}
