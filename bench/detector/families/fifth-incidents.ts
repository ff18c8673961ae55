/**
 * Incidents of the fifth trace family (bench/detector/families/fifth.ts), planted into the normal sessions from
 * day 10 on. Each agent's normal traffic is indexed first (the orders it takes per thread, its tools, volumes,
 * amounts and active hours), so an odd sequence is provably an order the agent never takes, a new tool one it
 * never used, an odd hour one it is never active in. Planting only removes or relabels normal lines, so what was
 * never seen before planting is never seen after it.
 */
import type { TraceLine } from '../generate-traces.js';
import type { ForeignOp } from './fifth-model.js';
import { DAY_MS, Dice, HOUR_MS, iso, START_MS } from './fifth-random.js';
import { makeLine, routineWalk, type Agent, type Session } from './fifth-traffic.js';

interface Index {
  agent: Agent;
  byDay: Map<number, Session[]>;
  /** `a>b`: b followed a in one thread (agent and person), or anywhere in the agent's traffic. */
  threadSeen: Set<string>;
  agentSeen: Set<string>;
  count: Map<string, number>;
  medianVolume: Map<string, number>;
  medianAmount: Map<string, number>;
  tools: Set<string>;
  hours: Set<number>;
  /** Time of the next line in the same thread from another session (Infinity: none). */
  nextOther: Map<TraceLine, number>;
  /** Candidate days, in this agent's shuffled order. */
  days: number[];
  usedDays: Set<number>;
  driftOp?: string;
}

const ODD_NETWORKS = ['185.220.101.0/24', '45.148.10.0/24', '91.92.240.0/24', '103.75.190.0/24', '194.26.29.0/24'];
const MORE_ODD_NETWORKS = ['5.181.80.0/24', '146.70.112.0/24', '62.102.148.0/24', '89.248.165.0/24', '179.43.176.0/24'];
const OUTSIDERS = [
  'k.brandt.contractor@outlook.example.com',
  'ops-temp7@gmail.example.com',
  'j.okafor@partner-logistics.example.net',
  'r.vance@consultancy.example.org',
  'night.desk.temp@proton.example.me',
  'h.ito@auditors.example.co',
  'd.moreau@freelance.example.fr',
  'it-helpdesk@lumenstack-support.example.xyz',
];

const ms = (l: TraceLine) => Date.parse(l.time);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const clean = (s: Session) => !s.used && s.lines.length > 0 && s.lines.every((l) => l.label === 'normal');

function indexAgent(agent: Agent, sessions: Session[], days: number, dice: Dice): Index {
  const rows = sessions.flatMap((s) => s.lines.map((line) => ({ line, s })));
  rows.sort((a, b) => (a.line.time < b.line.time ? -1 : a.line.time > b.line.time ? 1 : 0));
  const threadSeen = new Set<string>();
  const agentSeen = new Set<string>();
  const nextOther = new Map<TraceLine, number>();
  const threads = new Map<string, typeof rows>();
  rows.forEach((r, i) => {
    if (i > 0) agentSeen.add(`${rows[i - 1]!.line.operation}>${r.line.operation}`);
    const key = r.s.who ?? '';
    if (!threads.has(key)) threads.set(key, []);
    threads.get(key)!.push(r);
  });
  for (const list of threads.values()) {
    let after = Infinity;
    for (let i = list.length - 1; i >= 0; i--) {
      const here = list[i]!;
      const next = list[i + 1];
      if (next) {
        threadSeen.add(`${here.line.operation}>${next.line.operation}`);
        if (next.s !== here.s) after = ms(next.line);
      }
      nextOther.set(here.line, after);
    }
  }
  const volumes = new Map<string, number[]>();
  const amounts = new Map<string, number[]>();
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const { line } of rows) {
    push(volumes, line.operation, line.volume);
    if (line.amount > 0) push(amounts, line.operation, line.amount);
  }
  const byDay = new Map<number, Session[]>();
  for (const s of sessions) push(byDay, s.day, s);
  const outage = agent.desk.outageDay;
  const candidates: number[] = [];
  for (let d = 11; d <= days - 3; d++) if (d !== outage && d !== outage + 1 && byDay.has(d)) candidates.push(d);
  return {
    agent,
    byDay,
    threadSeen,
    agentSeen,
    count: new Map([...volumes].map(([op, v]) => [op, v.length])),
    medianVolume: new Map([...volumes].map(([op, v]) => [op, median(v)])),
    medianAmount: new Map([...amounts].map(([op, v]) => [op, median(v)])),
    tools: new Set(rows.map((r) => r.line.tool)),
    hours: new Set(rows.map((r) => new Date(ms(r.line)).getUTCHours())),
    nextOther,
    days: dice.shuffle(candidates),
    usedDays: new Set(),
  };
}

/** Unused days first (each in the agent's shuffled order), then the used ones. */
function daysOf(ix: Index): number[] {
  return [...ix.days.filter((d) => !ix.usedDays.has(d)), ...ix.days.filter((d) => ix.usedDays.has(d))];
}

function cleanSessions(ix: Index, day: number, dice: Dice, minLines = 1): Session[] {
  return dice.shuffle((ix.byDay.get(day) ?? []).filter((s) => clean(s) && s.lines.length >= minLines));
}

function mark(line: TraceLine, label: TraceLine['label'], incident: string): TraceLine {
  line.label = label;
  line.incident = incident;
  return line;
}

function plantDrift(ix: Index, dice: Dice, days: number, n: number): void {
  const op = ix.driftOp!;
  const d0 = dice.int(10, 13);
  let g = dice.between(0.08, 0.15);
  const span = Math.min(Math.max(dice.int(15, 21), Math.ceil(Math.log(5) / Math.log(1 + g))), days - 4 - d0);
  if ((1 + g) ** span < 4) g = 4 ** (1 / span) - 1;
  const start = START_MS + d0 * DAY_MS;
  const end = start + span * DAY_MS;
  const all = [...ix.byDay.values()]
    .flat()
    .flatMap((s) => s.lines.filter((l) => l.operation === op).map((line) => ({ line, s })))
    .sort((a, b) => ms(a.line) - ms(b.line));
  const base = Math.max(1, median(all.filter((r) => ms(r.line) < start).map((r) => r.line.volume)));
  for (const { line } of all) {
    if (ms(line) < start || ms(line) >= end) continue;
    const factor = (1 + g) ** ((ms(line) - start) / DAY_MS);
    line.volume = Math.max(1, Math.round(line.volume * factor));
    if (factor >= 3) mark(line, 'drift', `drift-${n}`);
  }
  const jump = all.find((r) => ms(r.line) >= end && clean(r.s));
  if (!jump) throw new Error(`${ix.agent.id}: no ${op} after the drift to jump on`);
  jump.line.volume = Math.round(base * 80 * dice.between(0.85, 1.2));
  mark(jump.line, 'bulk_volume', `post_drift_bulk-${n}`);
  jump.s.used = true;
}

function plantOddSequence(ix: Index, sensitivity: 'MEDIUM' | 'HIGH', dice: Dice, id: string): boolean {
  const ops = ix.agent.desk.ops;
  const targets = [...ix.count]
    .filter(([op, n]) => n >= 12 && ops[op]!.sensitivity === sensitivity && op !== ix.driftOp)
    .map(([op]) => op)
    .filter((op) => !ix.threadSeen.has(`${op}>${op}`));
  for (const strict of [true, false]) {
    for (const day of daysOf(ix)) {
      for (const s of cleanSessions(ix, day, dice)) {
        for (const k of dice.shuffle(s.lines.map((_, i) => i))) {
          const prev = s.lines[k]!;
          if (prev.operation === ix.driftOp || ix.nextOther.get(prev)! <= ms(prev) + 150_000) continue;
          const fits = targets.filter(
            (o) =>
              o !== prev.operation &&
              !ix.threadSeen.has(`${prev.operation}>${o}`) &&
              !(strict && ix.agentSeen.has(`${prev.operation}>${o}`)),
          );
          if (fits.length === 0) continue;
          const op = dice.pick(fits);
          let t = ms(prev) + dice.between(6, 30) * 1000;
          const odd: TraceLine[] = [];
          for (let i = dice.int(2, 3); i > 0; i--) {
            odd.push(mark(makeLine(ix.agent, op, t, prev.context, dice), 'odd_sequence', id));
            t += dice.between(8, 35) * 1000;
          }
          // The session stops after the odd steps: they are the last thing this thread does for a while.
          s.lines = [...s.lines.slice(0, k + 1), ...odd];
          s.used = true;
          ix.usedDays.add(day);
          return true;
        }
      }
    }
  }
  return false;
}

function foreignLine(agent: Agent, f: ForeignOp, t: number, context: Record<string, string>, dice: Dice) {
  const line: TraceLine = {
    time: iso(t),
    agent: agent.id,
    archetype: agent.archetype,
    platform: agent.platform,
    tool: f.tool,
    toolResource: f.resource,
    operation: f.operation,
    sensitivity: f.sensitivity,
    volume: f.volume > 1 ? Math.max(1, Math.round(dice.around(f.volume, 0.3))) : 1,
    amount: f.amount ? Math.round(dice.around(f.amount, 0.4) * 100) / 100 : 0,
    context: { ...context },
    label: 'normal',
    incident: null,
  };
  return line;
}

function plantNewTool(ix: Index, dice: Dice, id: string): boolean {
  const foreign = ix.agent.desk.foreign.filter((f) => !ix.tools.has(f.tool));
  for (const day of daysOf(ix)) {
    for (const s of cleanSessions(ix, day, dice, 2)) {
      const k = dice.int(1, s.lines.length - 1);
      const [before, after] = [ms(s.lines[k - 1]!), ms(s.lines[k]!)];
      const f = dice.pick(foreign);
      const n = dice.chance(0.35) ? 2 : 1;
      const fresh = Array.from({ length: n }, (_, i) =>
        mark(
          foreignLine(ix.agent, f, before + ((after - before) * (i + 1)) / (n + 1), s.lines[k - 1]!.context, dice),
          'new_tool',
          id,
        ),
      );
      s.lines.splice(k, 0, ...fresh);
      s.used = true;
      ix.usedDays.add(day);
      return true;
    }
  }
  return false;
}

function plantBulk(ix: Index, dice: Dice, id: string): boolean {
  for (const day of daysOf(ix)) {
    for (const s of cleanSessions(ix, day, dice)) {
      const line = dice
        .shuffle(s.lines)
        .find((l) => l.operation !== ix.driftOp && (ix.count.get(l.operation) ?? 0) >= 10);
      if (!line) continue;
      const factor = Math.exp(dice.between(Math.log(30), Math.log(300)));
      const usualAmount = ix.medianAmount.get(line.operation) ?? 0;
      if (usualAmount > 0 && dice.chance(0.5)) line.amount = Math.round(usualAmount * factor * 100) / 100;
      else line.volume = Math.round(Math.max(1, ix.medianVolume.get(line.operation)!) * factor);
      mark(line, 'bulk_volume', id);
      s.used = true;
      ix.usedDays.add(day);
      return true;
    }
  }
  return false;
}

function plantBurst(ix: Index, dice: Dice, id: string): TraceLine[] | null {
  const routine = [...ix.count]
    .filter(([op]) => op !== ix.driftOp && ['LOW', 'MEDIUM'].includes(ix.agent.desk.ops[op]!.sensitivity))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([op]) => op);
  const op = dice.pick(routine);
  for (const day of daysOf(ix)) {
    const s = cleanSessions(ix, day, dice)[0];
    if (!s) continue;
    const start = ms(s.lines[0]!) + dice.between(0, 60_000);
    const span = dice.between(3, 15) * 60_000;
    const offsets = Array.from({ length: dice.int(150, 600) }, () => dice.next() * span).sort((a, b) => a - b);
    s.used = true;
    ix.usedDays.add(day);
    return offsets.map((o) => mark(makeLine(ix.agent, op, start + o, s.lines[0]!.context, dice), 'burst', id));
  }
  return null;
}

type Twist = 'network' | 'client' | 'person_hour';

function plantOddContext(ix: Index, twist: Twist, dice: Dice, id: string): TraceLine[] | null {
  const quiet = Array.from({ length: 24 }, (_, h) => h).filter((h) => !ix.hours.has(h));
  if (twist === 'person_hour' && quiet.length === 0) twist = 'network';
  for (const day of daysOf(ix)) {
    const s = cleanSessions(ix, day, dice, 3)[0];
    if (!s) continue;
    s.used = true;
    ix.usedDays.add(day);
    if (twist === 'person_hour') {
      // A routine session for somebody the agent never acted for, at an hour it is never active.
      const hour = dice.pick(quiet);
      const known = new Set(ix.agent.people.map((p) => p.email));
      const context = {
        sourceNetwork: s.lines[0]!.context.sourceNetwork!,
        onBehalfOf: dice.pick(OUTSIDERS.filter((o) => !known.has(o))),
        userAgent: s.lines[0]!.context.userAgent!,
      };
      let walked = routineWalk(ix.agent, day, dice).walked;
      while (walked.ops.length < 3) walked = routineWalk(ix.agent, day, dice).walked;
      const top = START_MS + day * DAY_MS + hour * HOUR_MS;
      let t = top + dice.between(2, 20) * 60_000;
      const lines: TraceLine[] = [];
      for (const op of walked.ops) {
        if (t >= top + HOUR_MS) break;
        lines.push(mark(makeLine(ix.agent, op, t, context, dice), 'odd_context', id));
        t += Math.min(90, dice.around(ix.agent.profile.pace, 0.5)) * 1000;
      }
      return lines;
    }
    const odd: Record<string, string> =
      twist === 'network'
        ? { sourceNetwork: dice.pick(dice.chance(0.5) ? ODD_NETWORKS : MORE_ODD_NETWORKS) }
        : {
            userAgent: dice.chance(0.5)
              ? `curl/8.${dice.int(4, 11)}.${dice.int(0, 1)}`
              : `python-requests/2.${dice.int(28, 32)}.${dice.int(0, 3)}`,
          };
    for (const line of s.lines) mark(line, 'odd_context', id).context = { ...line.context, ...odd };
    return [];
  }
  return null;
}

/** Plants every incident into the sessions (in place) and returns the lines that are new sessions or bursts. */
export function plantIncidents(agents: Agent[], sessions: Session[][], days: number, seed: number): TraceLine[] {
  const dice = new Dice(seed, 'incidents');
  const indexes = agents.map((a, i) => indexAgent(a, sessions[i]!, days, dice.fork(`days/${a.id}`)));
  const numbers = new Map<string, number>();
  const idOf = (kind: string) => {
    numbers.set(kind, (numbers.get(kind) ?? 0) + 1);
    return `${kind}-${numbers.get(kind)}`;
  };
  const fail = (kind: string, ix: Index) => new Error(`fifth family: could not plant ${kind} on ${ix.agent.id}`);

  // Drift: half the agents, one volume-bearing operation each, then one jump of ~80× its original level.
  const driftable = indexes.filter((ix) => {
    const op = [...ix.agent.desk.driftOps].sort((a, b) => (ix.count.get(b) ?? 0) - (ix.count.get(a) ?? 0))[0]!;
    if ((ix.count.get(op) ?? 0) < 2 * days) return false;
    ix.driftOp = op;
    return true;
  });
  const drifting = new Set(
    dice
      .fork('drift')
      .shuffle(driftable)
      .slice(0, Math.max(1, Math.round(agents.length / 2))),
  );
  for (const ix of indexes) if (!drifting.has(ix)) delete ix.driftOp;
  let driftN = 0;
  for (const ix of indexes) if (drifting.has(ix)) plantDrift(ix, dice.fork(`drift/${ix.agent.id}`), days, ++driftN);

  // Odd sequences: one MEDIUM and one HIGH per agent's worth, spread over the agents whose steps do not
  // interleave without a thread key (the orchestrator's cases interleave, so no order of it is ever new).
  const hosts = indexes.filter((ix) => ix.agent.profile.lanes !== 'cases');
  const odd = dice.fork('odd_sequence');
  for (const [shift, sensitivity] of [
    [0, 'MEDIUM'],
    [Math.floor(hosts.length / 2), 'HIGH'],
  ] as const) {
    for (let k = 0; k < agents.length; k++) {
      const id = `odd_sequence-${(numbers.get('odd_sequence') ?? 0) + 1}`;
      const ok = hosts.some((_, j) => plantOddSequence(hosts[(k + shift + j) % hosts.length]!, sensitivity, odd, id));
      if (!ok) throw new Error(`fifth family: no host for an odd ${sensitivity} sequence`);
      idOf('odd_sequence');
    }
  }

  const extra: TraceLine[] = [];
  const twists: Twist[] = ['network', 'client', 'person_hour'];
  indexes.forEach((ix, i) => {
    const d = dice.fork(`plant/${ix.agent.id}`);
    const context = plantOddContext(ix, twists[i % 3]!, d, idOf('odd_context'));
    if (!context) throw fail('odd_context', ix);
    extra.push(...context);
    if (!plantNewTool(ix, d, idOf('new_tool'))) throw fail('new_tool', ix);
    for (let b = i % 2 === 0 ? 2 : 1; b > 0; b--) if (!plantBulk(ix, d, idOf('bulk_volume'))) throw fail('bulk', ix);
    const burst = plantBurst(ix, d, idOf('burst'));
    if (!burst) throw fail('burst', ix);
    extra.push(...burst);
  });
  return extra;
}
