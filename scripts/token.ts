/**
 * `npm run token -- --sub alice@example.com [--roles admin] [--ttl 1h]` prints a human access token from
 * Warden's development issuer. What the person may do is the people directory's to say (config/people.json
 * seeds it); `--roles` only narrows it for this token. Local use only: with a real OIDC issuer configured,
 * get tokens from it instead.
 */
import { parseArgs } from 'node:util';
import { loadDevIssuerKey, signDevToken } from '../api/auth/dev-issuer.js';
import { loadConfig } from '../config/config.js';
import { isRole, isValidEmail, ROLES, type Role } from '../domain/people.js';

function seconds(ttl: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(ttl.trim());
  if (!m) throw new Error(`--ttl must look like 900, 15m, 1h or 1d, got "${ttl}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
}

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    roles: { type: 'string' },
    ttl: { type: 'string', default: '1h' },
    help: { type: 'boolean', short: 'h' },
  },
});
const usage = `usage: npm run token -- --sub EMAIL [--roles ${ROLES.join(',')}] [--ttl 1h]
  The person's roles are the people directory's (config/people.json seeds it; upsertPerson changes it);
  --roles only narrows them for this token.`;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const config = loadConfig();
if (config.humans.jwksUrl) {
  console.error(
    'A real OIDC issuer is configured (WARDEN_OIDC_JWKS_URL): get tokens from it; the development issuer is not trusted.',
  );
  process.exit(2);
}
if (!values.sub || !isValidEmail(values.sub.toLowerCase())) {
  console.error(`--sub must be an email address\n${usage}`);
  process.exit(2);
}
const roles =
  values.roles === undefined
    ? undefined
    : values.roles
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
const unknown = (roles ?? []).filter((r) => !isRole(r));
if (unknown.length) {
  console.error(`unknown role(s) ${unknown.join(', ')}; known: ${ROLES.join(', ')}`);
  process.exit(2);
}
const ttlSeconds = seconds(values.ttl);
if (ttlSeconds < 1 || ttlSeconds > 7 * 86400) {
  console.error('--ttl must be between 1 second and 7 days');
  process.exit(2);
}
const key = await loadDevIssuerKey(config.dataDir);
console.log(
  await signDevToken(key, {
    email: values.sub,
    ...(roles ? { roles: roles as Role[] } : {}),
    issuer: config.humans.issuer,
    audience: config.humans.audience,
    ttlSeconds,
  }),
);
