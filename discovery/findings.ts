/**
 * Grouping and merging of findings. Merging is associative (a full scan equals a scan split at any cursor
 * and merged), so the same function serves within a scan, across resumed scans, and across sweeps.
 */
import type { Finding, FindingKind } from '../domain/discovery.js';

/** Evidence keys whose values are sets (", "-joined, sorted, capped), unioned on merge. */
export const LIST_EVIDENCE_KEYS = new Set([
  'endpoints',
  'providers',
  'userAgents',
  'frameworks',
  'uris',
  'methods',
  'clients',
  'configFiles',
  'profiles',
  'permissions',
  'pids',
  'envKeys',
  'logs',
  'users',
  'headerKeys',
  'inputs',
]);

/** At most this many values are kept in one list-valued evidence entry. */
export const MAX_LIST_VALUES = 20;
const LIST_SEP = ', ';

/** A kind that says more about an agent wins over a weaker one when the same fingerprint carries both. */
const KIND_RANK: Partial<Record<FindingKind, number>> = { 'llm-egress': 0, 'agent-user-agent': 1 };

export function listValue(values: Iterable<string>): string {
  const unique = [...new Set([...values].filter((v) => v !== ''))].sort();
  return unique.slice(0, MAX_LIST_VALUES).join(LIST_SEP);
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(LIST_SEP) : [];
}

/** Merge `b` into `a` (same fingerprint). Scalars come from the later observation; `b` wins ties. */
export function mergeFinding(a: Finding, b: Finding): Finding {
  const bLater = b.lastSeen >= a.lastSeen;
  const latest = bLater ? b : a;
  const other = bLater ? a : b;
  const evidence: Record<string, string> = {};
  for (const key of new Set([...Object.keys(a.evidence), ...Object.keys(b.evidence)])) {
    const av = a.evidence[key];
    const bv = b.evidence[key];
    if (LIST_EVIDENCE_KEYS.has(key)) evidence[key] = listValue([...splitList(av), ...splitList(bv)]);
    else evidence[key] = (bLater ? (bv ?? av) : (av ?? bv)) as string;
  }
  const rankA = KIND_RANK[a.kind] ?? 0;
  const rankB = KIND_RANK[b.kind] ?? 0;
  const kind = rankA === rankB ? latest.kind : rankA > rankB ? a.kind : b.kind;
  const merged: Finding = {
    source: latest.source,
    kind,
    fingerprint: a.fingerprint,
    agentName: latest.agentName,
    platform: latest.platform,
    evidence: sortKeys(evidence),
    firstSeen: a.firstSeen <= b.firstSeen ? a.firstSeen : b.firstSeen,
    lastSeen: bLater ? b.lastSeen : a.lastSeen,
    count: a.count + b.count,
  };
  const host = latest.host ?? other.host;
  const user = latest.user ?? other.user;
  const owner = latest.proposedOwnerEmail ?? other.proposedOwnerEmail;
  if (host !== undefined) merged.host = host;
  if (user !== undefined) merged.user = user;
  if (owner !== undefined) merged.proposedOwnerEmail = owner;
  return merged;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/** Groups findings by fingerprint as they arrive. */
export class FindingGroup {
  readonly #byFingerprint = new Map<string, Finding>();

  add(finding: Finding): void {
    const existing = this.#byFingerprint.get(finding.fingerprint);
    this.#byFingerprint.set(finding.fingerprint, existing ? mergeFinding(existing, finding) : normalize(finding));
  }

  get size(): number {
    return this.#byFingerprint.size;
  }

  /** A copy, sorted by fingerprint. */
  list(): Finding[] {
    return [...this.#byFingerprint.values()]
      .sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0))
      .map((f) => ({ ...f, evidence: { ...f.evidence } }));
  }
}

function normalize(f: Finding): Finding {
  const evidence: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.evidence))
    evidence[k] = LIST_EVIDENCE_KEYS.has(k) ? listValue(splitList(v)) : v;
  return { ...f, evidence: sortKeys(evidence) };
}

/** Merge finding lists (e.g. a heartbeat's findings and the resumed scan's), grouped by fingerprint. */
export function mergeFindings(...lists: Finding[][]): Finding[] {
  const group = new FindingGroup();
  for (const list of lists) for (const f of list) group.add(f);
  return group.list();
}
