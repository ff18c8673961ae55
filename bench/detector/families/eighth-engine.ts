/**
 * Ordinary traffic of one seat of the eighth trace family (bench/detector/families/eighth.ts): each working day,
 * ad-hoc sessions (a Poisson count scaled by the desk's mood, start times bunched mid-shift, one person's sessions
 * one after another while colleagues interleave), scheduled jobs, and on outage nights the shift team's extra
 * sessions; each session runs a procedure step by step in one context (network, client, person). Slow change comes
 * from the seat plan: gated steps adopted gradually, a client rolled out over three days, an office move with a
 * two-day overlap, colleagues joining.
 */
import type { TraceLine } from '../generate-traces.js';
import { type Desk, type Draft, FIRST_NAMES, LAST_NAMES, type Mood, type SeatPlan, type Step } from './eighth-model.js';
import { localToMs, Rng } from './eighth-rng.js';

interface Person {
  email: string;
  from: number;
  shift: number;
}

/** One step as run: the operation and the seconds waited before it. */
interface Played {
  op: string;
  wait: number;
}

export class Seat {
  readonly agent: string;
  readonly people: Person[] = [];
  private sessionCount = 0;

  constructor(
    readonly desk: Desk,
    readonly plan: SeatPlan,
    readonly index: number,
    private readonly rng: Rng,
  ) {
    this.agent = `${desk.prefix}-${index + 1}`;
    const names = rng.fork('people');
    const joiners = plan.joiners ?? [];
    const count = plan.people + joiners.length;
    const used = new Set<string>();
    for (let i = 0; i < count; i++) {
      let email: string;
      do email = `${names.pick(FIRST_NAMES)}.${names.pick(LAST_NAMES)}@${desk.domain}`;
      while (used.has(email));
      used.add(email);
      this.people.push({ email, from: i < plan.people ? 0 : joiners[i - plan.people]!, shift: i % 3 });
    }
  }

  /** The network a session uses on a day. */
  network(day: number, rng: Rng): string {
    const move = this.plan.moves;
    const base = this.shiftNet(this.plan.network);
    if (!move || day < move.day) return base;
    if (day < move.day + 2 && rng.chance(0.5)) return base;
    return this.shiftNet(move.network);
  }

  client(day: number, rng: Rng): string {
    const up = this.plan.upgrade;
    if (!up || day < up.day) return this.plan.client;
    return day >= up.day + 3 || rng.chance((day - up.day + 1) / 4) ? up.client : this.plan.client;
  }

  /** Seats beyond the fourth of a desk sit on their own subnets. */
  private shiftNet(net: string): string {
    const extra = Math.floor(this.index / 4);
    if (extra === 0) return net;
    const parts = net.split('.');
    parts[2] = String((Number(parts[2]) + 17 * extra) % 250);
    return parts.join('.');
  }

  private gate(name: string, day: number): number {
    const g = this.plan.adopts?.[name];
    if (!g || day < g.from) return 0;
    return Math.min(1, (day - g.from + 1) / g.ramp);
  }

  /** Expand a procedure into the steps one run takes. */
  play(proc: string, day: number, rng: Rng): Played[] {
    const out: Played[] = [];
    const pace = () => rng.range(this.plan.pace[0], this.plan.pace[1]);
    const walk = (steps: readonly Step[]) => {
      for (const step of steps) {
        if ('pick' in step) {
          if (step.p === undefined || rng.chance(step.p)) walk(rng.weighted(step.pick));
        } else if ('loop' in step) {
          const times = rng.int(step.times[0], step.times[1]);
          for (let i = 0; i < times; i++) walk(step.loop);
        } else {
          if (step.gate && !rng.chance(this.gate(step.gate, day))) continue;
          if (step.p !== undefined && !rng.chance(step.p)) continue;
          const reps = step.reps ? rng.int(step.reps[0], step.reps[1]) : 1;
          for (let i = 0; i < reps; i++) {
            out.push({ op: step.op, wait: step.wait ? rng.range(step.wait[0], step.wait[1]) : pace() });
            if (step.retry && rng.chance(step.retry)) out.push({ op: step.op, wait: rng.range(3, 12) });
          }
        }
      }
    };
    walk(this.desk.procs[proc]!);
    if (out.length) out[0]!.wait = 0;
    return out;
  }

  /** One request of an operation, with a volume and amount drawn for the day. */
  request(op: string, ms: number, context: Record<string, string>, rng: Rng, mood?: Mood): TraceLine {
    const spec = this.desk.ops[op]!;
    const scale = mood?.scale?.[op] ?? 1;
    const volume = Math.max(1, Math.round(rng.logNormal(spec.vol[0] * scale, spec.vol[1])));
    const amount = spec.amt ? Math.round(rng.logNormal(spec.amt[0], spec.amt[1]) * 100) / 100 : 0;
    return {
      time: new Date(ms).toISOString(),
      agent: this.agent,
      archetype: this.desk.archetype,
      platform: this.plan.platform,
      tool: spec.tool,
      toolResource: this.desk.tools[spec.tool]!,
      operation: op,
      sensitivity: spec.sens,
      volume,
      amount,
      context: { ...context },
      label: 'normal',
      incident: null,
    };
  }

  /** Run a procedure from `start` in one context; lines with their epoch times. */
  session(proc: string, start: number, context: Record<string, string>, day: number, rng: Rng): Draft[] {
    const mood = this.desk.mood(day);
    const id = this.sessionCount++;
    let t = start;
    return this.play(proc, day, rng).map((step) => {
      t += Math.round(step.wait * 1000);
      return { ms: t, line: this.request(step.op, t, context, rng, mood), session: id };
    });
  }

  context(day: number, rng: Rng, person?: Person): Record<string, string> {
    const ctx: Record<string, string> = { sourceNetwork: this.network(day, rng), userAgent: this.client(day, rng) };
    if (person) ctx.onBehalfOf = person.email;
    return ctx;
  }

  /** Local [from, to) hours a person works. */
  hoursOf(person: Person | undefined): readonly [number, number] {
    if (this.plan.shifts && person) return [6 + 8 * person.shift, 14 + 8 * person.shift];
    return this.plan.hours;
  }

  /** All ordinary traffic of the seat over `days` days, in time order. */
  generate(days: number): Draft[] {
    const out: Draft[] = [];
    for (let day = 0; day < days; day++) {
      const rng = this.rng.fork(`day-${day}`);
      const mood = this.desk.mood(day);
      const dow = day % 7;
      this.adHoc(day, rng, mood, dow, out);
      for (const job of this.plan.jobs ?? []) {
        const boost = mood.jobs ?? 1;
        if (!rng.chance(Math.min(1, job.week[dow]! * boost))) continue;
        const every = job.every / boost;
        const person = this.plan.people > 0 ? this.people[0] : undefined;
        for (let m = job.hours[0] * 60 + rng.range(0, Math.min(every, 20)); m < job.hours[1] * 60; m += every) {
          const start = localToMs(this.plan.zone, day, m + rng.range(-0.05, 0.05) * every) + rng.int(0, 59_999);
          out.push(...this.session(job.proc, start, this.context(day, rng, person), day, rng));
        }
      }
    }
    return out.sort((a, b) => a.ms - b.ms);
  }

  private adHoc(day: number, rng: Rng, mood: Mood, dow: number, out: Draft[]): void {
    const plan = this.plan;
    if (plan.sessions <= 0 || !rng.chance(plan.week[dow]!)) return;
    const present = this.people.filter((p) => p.from <= day);
    const n = rng.poisson(plan.sessions * mood.load * (plan.week[dow]! < 1 ? 0.5 : 1));
    const procs = plan.procs.map(([w, p]) => [w * (mood.boost?.[p] ?? 1), p] as const);
    const starts: Array<{ person: Person | undefined; minute: number; proc: string }> = [];
    for (let i = 0; i < n; i++) {
      const person = present.length ? rng.pick(present) : undefined;
      const [from, to] = this.hoursOf(person);
      const minute = 60 * (from + (to - from) * (rng.next() + rng.next()) * 0.5);
      starts.push({ person, minute, proc: rng.weighted(procs) });
    }
    if (mood.night && plan.shifts) {
      const [from, to] = mood.night.hours;
      const night = present.filter((p) => this.hoursOf(p)[1] > from);
      for (let i = 0; i < rng.poisson(mood.night.sessions); i++)
        starts.push({ person: rng.pick(night), minute: 60 * rng.range(from, to - 0.5), proc: mood.night.proc });
    }
    starts.sort((a, b) => a.minute - b.minute);
    const freeAt = new Map<string, number>();
    for (const s of starts) {
      const key = s.person?.email ?? '';
      const end = this.hoursOf(s.person)[1] * 60;
      const minute = Math.max(s.minute, freeAt.get(key) ?? 0);
      if (minute >= end && !(mood.night && s.proc === mood.night.proc)) continue;
      const start = localToMs(plan.zone, day, minute) + rng.int(0, 59_999);
      const lines = this.session(s.proc, start, this.context(day, rng, s.person), day, rng);
      if (!lines.length) continue;
      out.push(...lines);
      const last = lines[lines.length - 1]!.ms;
      freeAt.set(key, minute + (last - start) / 60_000 + rng.range(1, 6));
    }
  }
}
