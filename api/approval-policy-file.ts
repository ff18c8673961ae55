/**
 * Reads the approval routing policy (YAML; config/approval-policy.yaml is the shipped one, docs/approvals.md
 * explains it) and validates all of it at start: a mistake stops the API with a message naming the file and
 * the line, never a policy half understood.
 */
import fs from 'node:fs';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import {
  approversNeeded,
  isDecider,
  OWNER,
  type ActionMatch,
  type ApprovalPolicy,
  type ApprovalTier,
  type RoutingRule,
} from '../domain/approval-policy.js';
import { SENSITIVITIES } from '../domain/tools.js';

export class ApprovalPolicyError extends Error {
  override readonly name = 'ApprovalPolicyError';
  readonly code = 'APPROVAL_POLICY_INVALID';
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_DEADLINE_MS = 30 * 86_400_000;

const duration = z
  .string()
  .regex(/^\d{1,6}(s|m|h|d)$/, 'a duration such as 90s, 15m, 4h or 2d')
  .transform((text) => Number(text.slice(0, -1)) * UNITS[text.slice(-1)]!);

const decider = z
  .string()
  .refine(isDecider, `"owner", a role (admin, approver, security) or a person's email address`)
  .transform((d) => d.toLowerCase());
const deciders = z.array(decider).min(1, 'name at least one decider');

const range = z
  .object({ atLeast: z.number().nonnegative().optional(), below: z.number().positive().optional() })
  .strict()
  .refine((r) => r.atLeast !== undefined || r.below !== undefined, 'give atLeast, below or both')
  .refine(
    (r) => r.atLeast === undefined || r.below === undefined || r.atLeast < r.below,
    'atLeast must be below "below"',
  );

const match = z
  .object({
    sensitivity: z.array(z.enum(SENSITIVITIES)).min(1).optional(),
    tools: z.array(z.string().min(1)).min(1).optional(),
    operations: z
      .array(z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'tool.operation'))
      .min(1)
      .optional(),
    amount: range.optional(),
    volume: range.optional(),
  })
  .strict()
  .refine((m) => Object.keys(m).length > 0, 'a match needs at least one condition');

const escalation = z.object({ after: duration, to: deciders }).strict();

const routeFields = {
  deciders,
  approvals: z.number().int().min(1).max(10).default(1),
  mustInclude: z.array(decider).default([]),
  ownerMayApproveAlone: z.boolean().default(true),
  escalate: z.array(escalation).default([]),
  deadline: duration.optional(),
};

const rule = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
    // One set of conditions, or a list of them (any may fit).
    match: z.preprocess((m) => (Array.isArray(m) ? m : [m]), z.array(match).min(1)),
    ...routeFields,
  })
  .strict();

const file = z
  .object({
    version: z.literal(1),
    default: z.object(routeFields).strict(),
    rules: z.array(rule).default([]),
  })
  .strict();

type RouteFields = z.infer<z.ZodObject<typeof routeFields>>;

/** The route's shape, with the checks that span fields (tiers in time order, within the deadline). */
function route(
  fields: RouteFields,
  defaultDeadlineMs: number,
  problem: (path: (string | number)[], m: string) => void,
) {
  const deadlineMs = fields.deadline ?? defaultDeadlineMs;
  if (deadlineMs > MAX_DEADLINE_MS) problem(['deadline'], 'a deadline may be at most 30d');
  const tiers: ApprovalTier[] = [{ afterMs: 0, deciders: fields.deciders }];
  fields.escalate.forEach((e, i) => {
    if (e.after <= tiers.at(-1)!.afterMs)
      problem(['escalate', i, 'after'], 'each escalation must come after the one before it');
    if (e.after >= deadlineMs) problem(['escalate', i, 'after'], 'an escalation must come before the deadline');
    tiers.push({ afterMs: e.after, deciders: e.to });
  });
  const all = new Set(tiers.flatMap((t) => t.deciders));
  fields.mustInclude.forEach((g, i) => {
    if (!all.has(g)) problem(['mustInclude', i], `"${g}" is not among this rule's deciders or escalations`);
  });
  if (fields.mustInclude.includes(OWNER) && !fields.ownerMayApproveAlone && fields.approvals < 2)
    problem(['approvals'], 'the owner must approve but may not approve alone: approvals must be at least 2');
  const needed = approversNeeded([...fields.mustInclude, ...(fields.ownerMayApproveAlone ? [] : ['not-owner'])]);
  if (needed > fields.approvals)
    problem(['approvals'], `the rule requires ${needed} different approvers (mustInclude), more than approvals`);
  return {
    approvals: fields.approvals,
    mustInclude: fields.mustInclude,
    ownerMayApproveAlone: fields.ownerMayApproveAlone,
    tiers,
    deadlineMs,
  };
}

/** Parses and validates a policy; throws ApprovalPolicyError naming `source` and the line of each problem. */
export function parseApprovalPolicy(text: string, source: string, defaultDeadlineMs: number): ApprovalPolicy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  const at = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  for (const e of doc.errors) problems.push(`line ${at(e.pos[0])}: ${e.message.split('\n')[0]}`);
  if (problems.length) throw new ApprovalPolicyError(`${source} is not valid YAML:\n  ${problems.join('\n  ')}`);

  const lineOf = (path: (string | number)[]) => at(nodeAt(doc, path)?.range?.[0]);
  const problem = (path: (string | number)[], message: string) =>
    problems.push(`line ${lineOf(path)} (${path.join('.') || 'top'}): ${message}`);

  const parsed = file.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problem(issue.path as (string | number)[], issue.message);
    throw new ApprovalPolicyError(`${source} is not a valid approval policy:\n  ${problems.join('\n  ')}`);
  }
  const names = new Set<string>();
  const rules: RoutingRule[] = parsed.data.rules.map((r, i) => {
    if (names.has(r.name)) problem(['rules', i, 'name'], `rule "${r.name}" is named twice`);
    names.add(r.name);
    const scoped = (path: (string | number)[], m: string) => problem(['rules', i, ...path], m);
    return {
      name: r.name,
      line: lineOf(['rules', i]),
      match: (Array.isArray(r.match) ? r.match : [r.match]) as ActionMatch[],
      ...route(r, defaultDeadlineMs, scoped),
    };
  });
  const fallback = route(parsed.data.default, defaultDeadlineMs, (path, m) => problem(['default', ...path], m));
  if (problems.length)
    throw new ApprovalPolicyError(`${source} is not a valid approval policy:\n  ${problems.join('\n  ')}`);
  return { source, rules, default: fallback };
}

export function loadApprovalPolicy(file: string, defaultDeadlineMs: number): ApprovalPolicy {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ApprovalPolicyError(`Cannot read the approval policy ${file}: ${(err as Error).message}`);
  }
  return parseApprovalPolicy(text, file, defaultDeadlineMs);
}

/** The YAML node at a path, or the nearest one above it that exists (for a missing key: its map). */
function nodeAt(doc: Document, path: (string | number)[]): { range?: [number, number, number] | null } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] | null } | undefined;
    if (node && typeof node === 'object') return node;
    if (n === 0 && isMap(doc.contents)) return doc.contents;
  }
  return undefined;
}
