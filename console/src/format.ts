/** How the console writes numbers, instants and durations (the browser's locale, UTC shown on hover). */

const numbers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const instants = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const approximate = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });

export const formatNumber = (n: number) => numbers.format(n);

/** Statistics (a usual range) to three significant digits: 4,420 rather than 4,417.14. */
export const formatApprox = (n: number) => approximate.format(n);

export const formatInstant = (iso: string) => instants.format(new Date(iso));

/** "3 h 20 min", "45 s", "2 d 4 h": the two largest units. */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [size, name] of units) {
    if (rest >= size || (size === 1 && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)} ${name}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** "in 3 h 20 min" or "5 min ago". */
export function relative(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  return ms >= 0 ? `in ${formatDuration(ms)}` : `${formatDuration(ms)} ago`;
}

/** What the request moves: money when it has an amount, records otherwise. */
export function magnitude(a: { amount: number; volume: number }): string {
  if (a.amount > 0)
    return `amount ${formatNumber(a.amount)}${a.volume > 0 ? `, ${formatNumber(a.volume)} records` : ''}`;
  return `${formatNumber(a.volume)} records`;
}

export const SIGNALS: Record<string, string> = {
  novelty: 'Something new for this agent',
  volume: 'More than usual',
  sequence: 'An unusual order of operations',
  rate: 'Faster than usual',
  context: 'An unusual context',
  rule: 'A policy rule',
};

/** A role or a decider as people say it. */
export function deciderName(d: string): string {
  if (d === 'owner') return "the agent's owner";
  if (d.includes('@')) return d;
  return `the ${d} role`;
}
