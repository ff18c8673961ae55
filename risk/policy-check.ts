/**
 * What an agent's risk policy override may say (`setAgentRiskPolicy`): only fields Warden's policy has, each of its
 * type and within its range. The override is merged into the defaults and read by scoring in workflow code, so a
 * string where a threshold belongs, a negative memory or a limit of a billion (the baseline lives in workflow state)
 * is refused with the field's path, before anything is stored.
 */
import { cleanValue } from './format.js';
import { DEFAULT_POLICY } from './policy.js';

const DECISION_RULES = new Set(['REVIEW', 'DENY', 'OFF']);
/** A threshold above 100 (the highest score) means "never"; this is the most that can mean anything. */
const MAX_THRESHOLD = 1000;
/** Baseline bounds may grow to this multiple of Warden's defaults, no more: they size workflow state. */
const MAX_LIMIT_FACTOR = 10;
const MAX_NAME = 64;
const MAX_LIST = 100;
const MAX_CONTEXT_KEYS = 16;

type Check = (value: unknown, path: string) => string | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const number =
  (min: number, max: number, opts: { integer?: boolean; above?: boolean } = {}): Check =>
  (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${path} must be a number`;
    if (opts.integer && !Number.isInteger(v)) return `${path} must be a whole number`;
    if (opts.above ? v <= min : v < min) return `${path} must be ${opts.above ? 'above' : 'at least'} ${min}`;
    if (v > max) return `${path} must be at most ${max}`;
    return null;
  };

const name: Check = (v, path) =>
  typeof v !== 'string'
    ? `${path} must be a string`
    : v.length > MAX_NAME
      ? `${path} must be at most ${MAX_NAME} characters`
      : null;

const decisionRule: Check = (v, path) =>
  typeof v === 'string' && DECISION_RULES.has(v) ? null : `${path} must be one of REVIEW, DENY, OFF`;

const boolean: Check = (v, path) => (typeof v === 'boolean' ? null : `${path} must be true or false`);

const ceiling: Check = (v, path) => (v === null ? null : number(0, Number.MAX_SAFE_INTEGER)(v, path));

const operations: Check = (v, path) => {
  if (!Array.isArray(v)) return `${path} must be a list of "tool:operation"`;
  if (v.length > MAX_LIST) return `${path} must list at most ${MAX_LIST}`;
  for (const [i, item] of v.entries()) {
    const problem = name(item, `${path}[${i}]`);
    if (problem) return problem;
  }
  return null;
};

const CONTEXT_KEY_FIELDS: Record<string, Check> = {
  key: name,
  label: name,
  weight: number(0, 100),
  domainOf: name,
  productOf: name,
  scopeOf: name,
};

const contextKeys: Check = (v, path) => {
  if (!Array.isArray(v)) return `${path} must be a list of context keys`;
  if (v.length > MAX_CONTEXT_KEYS) return `${path} must list at most ${MAX_CONTEXT_KEYS}`;
  for (const [i, item] of v.entries()) {
    const at = `${path}[${i}]`;
    if (!isObject(item)) return `${at} must be an object`;
    for (const required of ['key', 'label', 'weight']) if (!(required in item)) return `${at}.${required} is required`;
    for (const [k, value] of Object.entries(item)) {
      const check = Object.hasOwn(CONTEXT_KEY_FIELDS, k) ? CONTEXT_KEY_FIELDS[k]! : null;
      if (!check) return `${at}.${cleanValue(k)} is not a field of a context key`;
      const problem = check(value, `${at}.${k}`);
      if (problem) return problem;
    }
  }
  return null;
};

/** Checks for the fields whose range is not "a number ≥ 0" or whose type is not a number. */
const SPECIAL: Record<string, Check> = {
  'warmup.signalFactor': number(0, 1),
  'warmup.actions': number(0, 100_000, { integer: true }),
  'warmup.days': number(0, 365),
  'learning.maxWeight': number(0, 1, { above: true }),
  'learning.keyWarmupSamples': number(1, 100_000, { integer: true }),
  'novelty.operationFactor': number(0, 1),
  'novelty.probation': number(1, 1000, { integer: true }),
  'volume.minRatio': number(1, 1e6),
  'volume.approval.headroom': number(1, 1000),
  'volume.tail.quantile': number(0.5, 1, { above: true }),
  'volume.tail.margin': number(1, 1000),
  'volume.tail.binWidth': number(0.01, 10),
  'volume.tail.bins': number(1, 400, { integer: true }),
  'volume.tail.halveAt': number(1, 1e6, { integer: true }),
  'volume.tail.minSamples': number(0, 1e6, { integer: true }),
  'sequence.threadKey': (v, path) => (v === '' ? null : name(v, path)),
  'sequence.evictedCounts': boolean,
  'rate.days': number(1, 365, { integer: true }),
  'rate.ignoreTopDays': number(0, 364, { integer: true }),
  'rate.windowMs': number(1_000, 86_400_000),
  'context.keys': contextKeys,
  'context.utcOffsetMinutes': number(-840, 840, { integer: true }),
  'rules.criticalOnNewTool': decisionRule,
  'rules.highOnNewTool': decisionRule,
  'rules.criticalOnNewStep': decisionRule,
  'rules.amountCeiling': ceiling,
  'rules.volumeCeiling': ceiling,
  'rules.denyOperations': operations,
  'rules.reviewOperations': operations,
  'rules.containOnHardDeny': boolean,
};

function checkAt(value: unknown, template: unknown, path: string): string | null {
  const special = Object.hasOwn(SPECIAL, path) ? SPECIAL[path]! : null;
  if (special) return special(value, path);
  if (path.startsWith('thresholds.')) {
    if (isObject(template)) return checkObject(value, template, path);
    return number(0, MAX_THRESHOLD)(value, path);
  }
  if (path.startsWith('limits.'))
    return number(1, Math.max(1, (template as number) * MAX_LIMIT_FACTOR), { integer: true })(value, path);
  if (isObject(template)) return checkObject(value, template, path);
  if (typeof template === 'number') return number(0, 1e12)(value, path);
  // A field whose default is neither an object nor a number has a check of its own above.
  return `${path} cannot be set`;
}

function checkObject(value: unknown, template: Record<string, unknown>, path: string): string | null {
  if (!isObject(value)) return `${path || 'policy'} must be an object`;
  for (const [k, v] of Object.entries(value)) {
    // The key is the caller's: printable, one line and at most 64 characters in a message.
    const at = path ? `${path}.${cleanValue(k)}` : cleanValue(k);
    if (!Object.hasOwn(template, k)) return `${at} is not a field of the risk policy`;
    const problem = checkAt(v, template[k], at);
    if (problem) return problem;
  }
  return null;
}

/**
 * Why `override` is not a valid risk policy override, naming the first offending field (`thresholds.HIGH.review must be
 * a number`), or null when it is one. null itself (back to the defaults) is valid.
 */
export function policyOverrideProblem(override: unknown): string | null {
  if (override === null) return null;
  return checkObject(override, DEFAULT_POLICY as unknown as Record<string, unknown>, '');
}
