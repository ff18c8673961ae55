/**
 * Grants: short-lived access tokens for ONE tool — the output of Warden's token exchange (RFC 8693), with
 * the tool's resource URI (RFC 8707) as the only audience and the allowed operations as `scope`.
 *
 * Two shapes, one verifier:
 * - the agent acting for itself: `sub` = `client_id` = the agent, no `act`;
 * - the agent acting for a person who delegated to it: `sub` = the person, `act.sub` = `client_id` = the
 *   agent (RFC 8693 §4.1: `sub` is whom the request is for, `act` who performs it).
 */
import type { JWK, JWTPayload } from 'jose';
import { TokenError } from './errors.js';
import type { MintedToken } from './access-tokens.js';
import { formatScope, parseScope } from './scope.js';
import { issueTimes, nonEmpty, signWardenJwt, signWardenJwtDeterministically } from './sign.js';
import type { SigningKey } from './signing-keys.js';
import { requireNonEmptyString, verifyWardenJwt } from './verify.js';

export const GRANT_TYP = 'at+jwt';
export const GRANT_DEFAULT_TTL_S = 300;
export const GRANT_MAX_LIFETIME_S = 900;
const WHAT = 'grant';

/** Claims a grant's `extra` may not set: they carry the grant's meaning and are set here only. */
const RESERVED_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'client_id',
  'scope',
  'act',
  'may_act',
  'azp',
  'cnf',
  'events',
  'sub_id',
]);

export interface MintGrantInput {
  key: SigningKey;
  issuer: string;
  /** The tool's resource URI (RFC 8707); becomes the only audience. */
  resource: string;
  agentId: string;
  /** At least one; becomes `scope`. */
  operations: string[];
  ttlSeconds?: number;
  /** The person the agent acts for, when they delegated to it. */
  onBehalfOf?: string;
  /** Further claims for the tool (e.g. a risk decision id); registered claim names are refused. */
  extra?: Record<string, unknown>;
  now?: Date;
}

export async function mintGrant(input: MintGrantInput): Promise<MintedToken> {
  const { iat, exp } = issueTimes(
    input.now ?? new Date(),
    input.ttlSeconds ?? GRANT_DEFAULT_TTL_S,
    GRANT_MAX_LIFETIME_S,
  );
  const identity = { jti: crypto.randomUUID(), iat, exp };
  return mintedAs(await signWardenJwt(input.key, GRANT_TYP, grantClaims(input, identity)), identity);
}

/** What makes one grant that grant: its id and its lifetime (whole seconds since the epoch). */
export interface GrantIdentity {
  jti: string;
  iat: number;
  exp: number;
}

/**
 * A grant whose identity was chosen and recorded earlier (by the workflow that allowed the action):
 * the same key, input and identity give the same token, byte for byte, on any process (RFC 6979 ECDSA), so
 * a retry or a later read hands out the one grant that was decided, and Temporal never holds the token.
 */
export async function signRecordedGrant(
  input: Omit<MintGrantInput, 'ttlSeconds' | 'now'>,
  identity: GrantIdentity,
): Promise<MintedToken> {
  const lifetime = identity.exp - identity.iat;
  if (
    !Number.isInteger(identity.iat) ||
    !Number.isInteger(lifetime) ||
    lifetime < 1 ||
    lifetime > GRANT_MAX_LIFETIME_S
  ) {
    throw new RangeError(`A grant lives a whole number of seconds from 1 to ${GRANT_MAX_LIFETIME_S}.`);
  }
  return mintedAs(
    await signWardenJwtDeterministically(
      input.key,
      GRANT_TYP,
      grantClaims(input, { ...identity, jti: nonEmpty(identity.jti, 'jti') }),
    ),
    identity,
  );
}

function grantClaims(input: Omit<MintGrantInput, 'ttlSeconds' | 'now'>, { jti, iat, exp }: GrantIdentity): JWTPayload {
  const agentId = nonEmpty(input.agentId, 'agentId');
  const resource = nonEmpty(input.resource, 'resource');
  if (!URL.canParse(resource) || resource.includes('#'))
    throw new TypeError('resource must be an absolute URI without a fragment (RFC 8707).');
  if (input.operations.length === 0) throw new TypeError('A grant needs at least one operation.');
  if (input.onBehalfOf !== undefined && nonEmpty(input.onBehalfOf, 'onBehalfOf') === agentId) {
    throw new TypeError('An agent cannot act on behalf of itself; leave onBehalfOf out.');
  }
  for (const name of Object.keys(input.extra ?? {})) {
    if (RESERVED_CLAIMS.has(name)) throw new TypeError(`extra may not set the "${name}" claim.`);
  }
  return {
    ...input.extra,
    iss: nonEmpty(input.issuer, 'issuer'),
    sub: input.onBehalfOf ?? agentId,
    aud: resource,
    client_id: agentId,
    scope: formatScope(input.operations),
    iat,
    exp,
    jti,
    ...(input.onBehalfOf !== undefined ? { act: { sub: agentId } } : {}),
  };
}

function mintedAs(token: string, { jti, iat, exp }: GrantIdentity): MintedToken {
  return { token, jti, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
}

export interface VerifyGrantOptions {
  jwks: { keys: JWK[] };
  issuer: string;
  /** This tool's resource URI: a grant for any other tool is refused. */
  resource: string;
  /** The operation about to be performed; refused unless the grant's scope lists it. */
  requiredOperation?: string;
  now?: Date;
  clockToleranceSeconds?: number;
}

export interface VerifiedGrant {
  /** The agent performing the operation (`client_id`). */
  agentId: string;
  /** Whom the operation is for: the agent itself, or the person who delegated to it. */
  subject: string;
  /** Set when delegated: the acting agent (`act.sub`, equal to agentId). */
  actor?: string;
  operations: string[];
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
  /** Claims other than the registered ones, as minted in `extra`. */
  extra: Record<string, unknown>;
}

export async function verifyGrant(token: string, options: VerifyGrantOptions): Promise<VerifiedGrant> {
  const { resource, requiredOperation, ...rest } = options;
  const payload = await verifyWardenJwt(token, {
    ...rest,
    audience: resource,
    typ: GRANT_TYP,
    maxLifetimeSeconds: GRANT_MAX_LIFETIME_S,
    tokenName: WHAT,
  });
  const agentId = requireNonEmptyString(payload, 'client_id', WHAT);
  let actor: string | undefined;
  if (payload.act === undefined) {
    if (payload.sub !== agentId)
      throw new TokenError('token_claims', 'The grant names a subject other than its agent but no actor (act).');
  } else {
    actor = delegatedActor(payload.act);
    if (actor !== agentId)
      throw new TokenError(
        'token_claims',
        "The grant's actor (act.sub) is not the agent it was issued to (client_id).",
      );
    if (payload.sub === agentId)
      throw new TokenError('token_claims', 'The grant says the agent acts on behalf of itself.');
  }
  const operations = parseScope(payload.scope, WHAT);
  if (requiredOperation !== undefined && !operations.includes(requiredOperation)) {
    throw new TokenError('token_scope', 'The grant does not allow this operation.');
  }
  const extra: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) if (!RESERVED_CLAIMS.has(name)) extra[name] = value;
  return {
    agentId,
    subject: payload.sub,
    ...(actor !== undefined ? { actor } : {}),
    operations,
    jti: payload.jti,
    issuedAt: new Date(payload.iat * 1000),
    expiresAt: new Date(payload.exp * 1000),
    extra,
  };
}

/** `act` as Warden mints it: one level, `{ sub }`. A chain of actors (nested `act`) is never issued here. */
function delegatedActor(act: unknown): string {
  if (typeof act !== 'object' || act === null || Array.isArray(act))
    throw new TokenError('token_claims', "The grant's actor claim (act) is not an object.");
  const { sub } = act as { sub?: unknown };
  if (typeof sub !== 'string' || sub === '')
    throw new TokenError('token_claims', "The grant's actor claim (act) names no subject.");
  if ('act' in act)
    throw new TokenError('token_claims', 'The grant names a chain of actors; Warden issues one actor at most.');
  return sub;
}
