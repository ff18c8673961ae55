/**
 * Approval routing: who may decide a held action, how many must agree, when it escalates and when it
 * expires. The policy file (api/approval-policy-file.ts reads and validates it) is matched once, when the
 * action is held; the route it gives travels in the action's start input and is what its workflow enforces.
 * Who someone *is* (roles, ownership, delegations) is read at decision time from the signed statement.
 *
 * Pure: workflows import this.
 */
import { ROLES, type Role } from './people.js';
import type { Sensitivity } from './tools.js';

/** Who may decide: the agent's owner, everyone with a directory role, or one person (an email address). */
export type Decider = string;
export const OWNER = 'owner';

export interface ApprovalTier {
  /** How long after the action was held this tier may decide (0 for the first). */
  afterMs: number;
  deciders: Decider[];
}

/** What the policy says about one held action. */
export interface ApprovalRoute {
  /** The rule that matched (`default` when none did). */
  rule: string;
  /** Distinct people who must approve. */
  approvals: number;
  /** Each of these must be among the approvers (e.g. `security`). */
  mustInclude: Decider[];
  /** false: the agent's owner is never the only approver — someone else must approve too. */
  ownerMayApproveAlone: boolean;
  /** The first tier decides from the start; each later one is notified and may decide after its delay. */
  tiers: ApprovalTier[];
  /** Undecided at the deadline: EXPIRED, which denies. */
  deadlineMs: number;
}

export interface RangeMatch {
  atLeast?: number;
  below?: number;
}

/** All the given fields must hold. */
export interface ActionMatch {
  sensitivity?: Sensitivity[];
  tools?: string[];
  /** `tool.operation`. */
  operations?: string[];
  amount?: RangeMatch;
  volume?: RangeMatch;
}

export interface RoutingRule extends Omit<ApprovalRoute, 'rule'> {
  name: string;
  /** Line in the policy file, for messages. */
  line: number;
  /** Any of these (each one a conjunction). */
  match: ActionMatch[];
}

export interface ApprovalPolicy {
  /** Where it was read from, for messages. */
  source: string;
  rules: RoutingRule[];
  default: Omit<ApprovalRoute, 'rule'>;
}

export interface ActionFactsForRouting {
  sensitivity: Sensitivity;
  tool: string;
  operation: string;
  amount: number;
  volume: number;
}

const inRange = (value: number, range?: RangeMatch) =>
  !range ||
  ((range.atLeast === undefined || value >= range.atLeast) && (range.below === undefined || value < range.below));

export function matches(match: ActionMatch, a: ActionFactsForRouting): boolean {
  return (
    (!match.sensitivity || match.sensitivity.includes(a.sensitivity)) &&
    (!match.tools || match.tools.includes(a.tool)) &&
    (!match.operations || match.operations.includes(`${a.tool}.${a.operation}`)) &&
    inRange(a.amount, match.amount) &&
    inRange(a.volume, match.volume)
  );
}

/** The first rule that matches, top to bottom; else the default. */
export function routeFor(policy: ApprovalPolicy, action: ActionFactsForRouting): ApprovalRoute {
  const rule = policy.rules.find((r) => r.match.some((m) => matches(m, action)));
  if (!rule) return { rule: 'default', ...policy.default };
  const { name, line: _line, match: _match, ...route } = rule;
  return { rule: name, ...route };
}

/**
 * The simplest routing — the owner or the security team, one of them, within the deadline — for what starts
 * action workflows without the API (tests, benchmarks). The API always routes by its policy file.
 */
export function defaultPolicy(deadlineMs: number): ApprovalPolicy {
  return {
    source: '(built-in)',
    rules: [],
    default: {
      approvals: 1,
      mustInclude: [],
      ownerMayApproveAlone: true,
      tiers: [{ afterMs: 0, deciders: [OWNER, 'security'] }],
      deadlineMs,
    },
  };
}

export function isDecider(value: string): boolean {
  return value === OWNER || (ROLES as readonly string[]).includes(value) || /^[^@\s]+@[^@\s]+$/.test(value);
}

// --- deciding --------------------------------------------------------------------------------------------

/** A person who delegated their approvals to the decider, for a window that includes now. */
export interface Delegator {
  email: string;
  roles: Role[];
}

/** Who is deciding, as the verified statement says: their roles now, and whose approvals they hold now. */
export interface DecidingPerson {
  email: string;
  roles: Role[];
  delegators: Delegator[];
}

/** What a person brings to a decision: the deciders they count as, and whose seat they take. */
export interface Standing {
  capacities: Decider[];
  /** The people this decision speaks for besides the decider (delegators): none of them may vote again. */
  onBehalfOf: string[];
}

export function standingOf(person: DecidingPerson, ownerEmail: string | null): Standing {
  const capacities = new Set<Decider>();
  const add = (email: string, roles: Role[]) => {
    capacities.add(email);
    for (const role of roles) capacities.add(role);
    if (ownerEmail && email === ownerEmail) capacities.add(OWNER);
  };
  add(person.email, person.roles);
  for (const d of person.delegators) add(d.email, d.roles);
  return { capacities: [...capacities], onBehalfOf: person.delegators.map((d) => d.email) };
}

export interface ApprovalVote {
  by: string;
  capacities: Decider[];
  onBehalfOf: string[];
  decision: 'APPROVE' | 'DENY';
  comment: string | null;
  at: string;
}

/** The deciders of every tier open at this escalation level. */
export function openDeciders(route: ApprovalRoute, level: number): Decider[] {
  return [...new Set(route.tiers.slice(0, level + 1).flatMap((t) => t.deciders))];
}

const seats = (v: { by: string; onBehalfOf: string[] }) => [v.by, ...v.onBehalfOf];

function describe(deciders: Decider[]): string {
  const words = deciders.map((d) => (d === OWNER ? "the agent's owner" : d.includes('@') ? d : `the ${d} role`));
  return words.length <= 1 ? (words[0] ?? 'nobody') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** What approvals (their capacities) still lack: mustInclude groups, and someone besides the owner where required. */
function missing(route: ApprovalRoute, approvals: Pick<ApprovalVote, 'capacities'>[]): string[] {
  const lacking = route.mustInclude.filter((g) => !approvals.some((v) => v.capacities.includes(g)));
  if (!route.ownerMayApproveAlone && !approvals.some((v) => !v.capacities.includes(OWNER))) lacking.push('not-owner');
  return lacking;
}

/**
 * The fewest further approvers what is lacking needs, counting each required decider as a person of its own
 * (one person may hold two roles, but a route never relies on it), and "someone besides the owner" only when
 * nothing else is lacking (whoever fills a required role then is, in practice, someone else).
 */
export function approversNeeded(lacking: string[]): number {
  const groups = lacking.filter((n) => n !== 'not-owner').length;
  return groups > 0 ? groups : lacking.length;
}

const inWords = (needs: string[]) =>
  needs.map((n) => (n === 'not-owner' ? "someone besides the agent's owner" : describe([n]))).join(' and ');

export function quorumReached(route: ApprovalRoute, votes: ApprovalVote[]): boolean {
  const approvals = votes.filter((v) => v.decision === 'APPROVE');
  return approvals.length >= route.approvals && missing(route, approvals).length === 0;
}

export interface VoteRefusal {
  /** FORBIDDEN: this person may not cast this vote; CONFLICT: their seat is taken already. */
  code: 'FORBIDDEN' | 'CONFLICT';
  message: string;
}

/**
 * null when this person may cast this vote now; otherwise why not. A vote must come from an open tier, from
 * someone whose seat (their own, and those of the people whose approvals they hold) is not taken yet, and —
 * if it would be the last approval needed — complete what the policy requires, so a quorum is exactly
 * `approvals` people.
 */
export function voteRefusal(
  route: ApprovalRoute,
  level: number,
  votes: ApprovalVote[],
  standing: Standing,
  by: string,
  decision: 'APPROVE' | 'DENY',
): VoteRefusal | null {
  const open = openDeciders(route, level);
  if (!open.some((d) => standing.capacities.includes(d))) {
    const later = route.tiers.slice(level + 1).some((t) => t.deciders.some((d) => standing.capacities.includes(d)));
    return {
      code: 'FORBIDDEN',
      message: later
        ? `${by} may decide this action only once it escalates; for now ${describe(open)} may.`
        : `Only ${describe(open)} may decide this action (rule "${route.rule}"); ${by} may not.`,
    };
  }
  const mine = seats({ by, onBehalfOf: standing.onBehalfOf });
  const taken = votes.find((v) => seats(v).some((s) => mine.includes(s)));
  if (taken)
    return {
      code: 'CONFLICT',
      message:
        taken.by === by
          ? `${by} has already ${taken.decision === 'APPROVE' ? 'approved' : 'denied'} this action.`
          : `${taken.by} already decided for ${seats(taken)
              .filter((s) => mine.includes(s))
              .join(', ')}: one vote per person.`,
    };
  if (decision === 'DENY') return null;
  // An approval must leave enough approvals for what the route still requires, or the action could only expire.
  const approvals = votes.filter((v) => v.decision === 'APPROVE');
  const lacking = missing(route, [...approvals, standing]);
  const left = Math.max(0, route.approvals - approvals.length - 1);
  if (approversNeeded(lacking) > left)
    return {
      code: 'FORBIDDEN',
      message:
        left === 0
          ? `This would be the last approval needed, and the policy still needs ${inWords(lacking)}; ${by} cannot complete it.`
          : `After this approval ${left} more would be needed, and the policy still needs ${inWords(lacking)}: one of them approves first.`,
    };
  return null;
}

/** Shape only (Warden's own API routed it): what an action workflow's start input must carry. */
export function isApprovalRoute(value: unknown): value is ApprovalRoute {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  return (
    typeof r.rule === 'string' &&
    Number.isInteger(r.approvals) &&
    (r.approvals as number) >= 1 &&
    strings(r.mustInclude) &&
    typeof r.ownerMayApproveAlone === 'boolean' &&
    Array.isArray(r.tiers) &&
    r.tiers.length >= 1 &&
    r.tiers.every(
      (t: unknown) =>
        typeof t === 'object' &&
        t !== null &&
        typeof (t as ApprovalTier).afterMs === 'number' &&
        strings((t as ApprovalTier).deciders),
    ) &&
    typeof r.deadlineMs === 'number' &&
    r.deadlineMs > 0
  );
}

/** What the action waits for, in words (for lists, the console and notifications). */
export function waitingFor(route: ApprovalRoute, level: number, votes: ApprovalVote[]): string {
  const approvals = votes.filter((v) => v.decision === 'APPROVE');
  // While the action waits at least one approval is left: a quorum is exactly `approvals` people.
  const left = Math.max(1, route.approvals - approvals.length);
  const lacking = missing(route, approvals);
  const count = `${left} ${approvals.length ? 'more ' : ''}approval${left > 1 ? 's' : ''}`;
  return `${count} from ${describe(openDeciders(route, level))}${lacking.length ? `, including ${inWords(lacking)}` : ''}`;
}
