/**
 * Redaction: evidence never carries a secret. A secret keeps at most its last 4 characters.
 */
import { createHash } from 'node:crypto';

/** `***abcd` for anything 12+ characters, `***` for shorter values. */
export function redactSecret(value: string): string {
  const v = value.trim();
  return v.length >= 12 ? `***${v.slice(-4)}` : '***';
}

/** Strips an auth scheme (`Bearer x`, `Basic x`) from a credential. */
export function stripAuthScheme(value: string): string {
  const m = /^\s*(?:bearer|basic|token|apikey|api-key)\s+(.+)$/i.exec(value);
  return (m?.[1] ?? value).trim();
}

/**
 * A stable, non-reversible identifier for a credential: a short SHA-256 prefix of the full credential
 * when it is visible (12+ chars), else the redacted hint itself (a log that only keeps a hint).
 */
export function credentialId(value: string): string {
  const v = stripAuthScheme(value);
  if (v.length >= 12 && !v.startsWith('*') && !v.includes('…') && !v.includes('...')) {
    return `sha256:${createHash('sha256').update(v).digest('hex').slice(0, 12)}`;
  }
  return `hint:${v.replace(/[^A-Za-z0-9_-]/g, '').slice(-4)}`;
}

// Well-known key shapes, plus any long opaque token.
const SECRET_PATTERNS: RegExp[] = [
  /\bsk-(?:ant-|proj-|or-)?[A-Za-z0-9_-]{8,}/g, // OpenAI, Anthropic, OpenRouter
  /\bgh[pousr]_[A-Za-z0-9]{16,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{16,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{8,}/g, // Slack
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bAIza[A-Za-z0-9_-]{20,}/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
];
// Long opaque tokens: 32+ URL-safe characters mixing letters and digits (not long words or paths).
const OPAQUE_TOKEN = /[A-Za-z0-9_-]{32,}/g;

const SECRET_FLAG =
  /^--?(?:api[-_]?key|token|access[-_]?token|secret|password|passwd|pat|auth|key|client[-_]?secret)$/i;
const SECRET_FLAG_EQ =
  /^(--?(?:api[-_]?key|token|access[-_]?token|secret|password|passwd|pat|auth|key|client[-_]?secret)=)(.+)$/i;

/** Replaces secret-looking substrings, URL passwords and `--token=x` values in free text. */
export function redactText(text: string): string {
  let out = text.replace(
    /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi,
    (_m, a: string, p: string, c: string) => `${a}${redactSecret(p)}${c}`,
  );
  out = out.replace(
    /([?&](?:key|api_key|apikey|token|access_token|sig|signature|password)=)([^&\s]+)/gi,
    (_m, a: string, v: string) => `${a}${redactSecret(v)}`,
  );
  for (const re of SECRET_PATTERNS) out = out.replace(re, (m) => redactSecret(m));
  out = out.replace(OPAQUE_TOKEN, (m) => (/[0-9]/.test(m) && /[A-Za-z]/.test(m) ? redactSecret(m) : m));
  return out;
}

/** Redacts an argv: values after `--api-key` style flags, `--token=x`, and secret-looking strings. */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const prev = i > 0 ? (args[i - 1] ?? '') : '';
    if (SECRET_FLAG.test(prev)) {
      out.push(redactSecret(arg));
      continue;
    }
    const eq = SECRET_FLAG_EQ.exec(arg);
    if (eq) out.push(`${eq[1]}${redactSecret(eq[2] ?? '')}`);
    else out.push(redactText(arg));
  }
  return out;
}

/** Splits a command line on whitespace, honouring simple quotes (enough for evidence and matching). */
export function splitCommandLine(cmdline: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(cmdline); m; m = re.exec(cmdline)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}
