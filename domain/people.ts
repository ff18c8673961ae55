/** People: the humans who own agents and approve actions. Pure definitions, safe inside workflows. */

export const ROLES = ['admin', 'approver', 'security'] as const;
export type Role = (typeof ROLES)[number];

export interface Person {
  email: string;
  displayName: string;
  roles: Role[];
  /** Their Slack user id (`U…`/`W…`): Approve/Deny clicks in Slack by that user are theirs. */
  slackUserId?: string;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export interface PersonInput {
  email: string;
  displayName: string;
  roles: Role[];
  /** Omitted: kept as it is; null: removed. */
  slackUserId?: string | null;
}

/** A Slack user id: `U…` (or `W…` on Enterprise Grid), upper-case letters and digits. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,31}$/;

/** Deliberately strict: the local part and domain of ordinary corporate addresses, nothing exotic. */
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Returns a list of problems; empty means the input is acceptable. */
export function validatePersonInput(input: PersonInput): string[] {
  const problems: string[] = [];
  if (typeof input.email !== 'string' || typeof input.displayName !== 'string' || !Array.isArray(input.roles))
    return ['a person needs an email, a displayName and a list of roles'];
  if (!isValidEmail(input.email)) problems.push(`"${input.email.slice(0, 80)}" is not a valid email address`);
  const name = input.displayName.trim();
  if (name.length === 0 || name.length > 120) problems.push('displayName must be 1 to 120 characters');
  for (const role of input.roles) {
    if (!isRole(role)) problems.push(`unknown role "${String(role).slice(0, 40)}" (known: ${ROLES.join(', ')})`);
  }
  if (new Set(input.roles).size !== input.roles.length) problems.push('roles must not repeat');
  const slack = input.slackUserId;
  if (slack !== undefined && slack !== null && (typeof slack !== 'string' || !SLACK_USER_ID.test(slack)))
    problems.push('slackUserId must be a Slack user id like U012AB3CD');
  return problems;
}

export function personWorkflowId(email: string): string {
  return `person:${normalizeEmail(email)}`;
}

/**
 * A person's approvals handed to someone else for a window (a holiday, an on-call rotation): while it runs,
 * the delegate decides held actions with the delegator's standing too — their roles and the agents they own —
 * and takes the delegator's seat (one vote for both). Kept in the delegator's directory entry.
 */
export interface Delegation {
  to: string;
  from: string;
  until: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

export interface DelegationInput {
  to: string;
  from: string;
  until: string;
  reason: string;
}

export const MAX_DELEGATION_MS = 90 * 86_400_000;
export const MAX_DELEGATIONS = 20;

export function delegationActive(d: Pick<Delegation, 'from' | 'until'>, at: number): boolean {
  return Date.parse(d.from) <= at && at < Date.parse(d.until);
}

/** Problems with a delegation by `delegator`, judged at `now` (epoch ms); empty means acceptable. */
export function validateDelegation(delegator: string, input: DelegationInput, now: number): string[] {
  if (typeof input !== 'object' || input === null) return ['a delegation needs to, from, until and a reason'];
  const problems: string[] = [];
  const to = typeof input.to === 'string' ? normalizeEmail(input.to) : '';
  if (!isValidEmail(to)) problems.push('to must be the email address of the person who decides for you');
  else if (to === normalizeEmail(delegator)) problems.push('a person cannot delegate to themselves');
  const from = Date.parse(String(input.from));
  const until = Date.parse(String(input.until));
  if (Number.isNaN(from) || Number.isNaN(until)) problems.push('from and until must be ISO 8601 instants');
  else {
    if (until <= from) problems.push('until must be after from');
    if (until <= now) problems.push('until must be in the future');
    if (until - from > MAX_DELEGATION_MS) problems.push('a delegation may last at most 90 days');
  }
  if (typeof input.reason !== 'string' || input.reason.length > 500)
    problems.push('reason must be a string of at most 500 characters');
  return problems;
}
