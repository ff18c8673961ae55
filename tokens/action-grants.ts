/**
 * The grant of one action: bound to exactly that request — its tool (the only audience), its operation
 * (the only scope), its resource and its volume and amount ceilings (RFC 9396 authorization details).
 *
 * A grant comes from one of two places, both without a token in Temporal: offered by the API and recorded by
 * the deciding workflow when it allows the action outright, or offered by the action workflow's activity when
 * a person approves it. Either way the API signs the recorded terms when it hands the grant to the agent.
 */
import type { ActionGrant, ActionRecord, RecordedGrant } from '../domain/actions.js';
import { GRANT_MAX_LIFETIME_S, signRecordedGrant, type MintGrantInput } from './grants.js';
import { issueTimes } from './sign.js';
import type { SigningKey } from './signing-keys.js';

type ActionGrantInput = Pick<MintGrantInput, 'resource' | 'agentId' | 'operations' | 'extra'>;

function grantInputOf(action: ActionRecord): ActionGrantInput {
  return {
    resource: action.toolResource,
    agentId: action.agentId,
    operations: [action.operation],
    extra: {
      authorization_details: [
        {
          type: 'warden_action',
          action_id: action.id,
          tool: action.tool,
          operation: action.operation,
          ...(action.resourceId ? { resource_id: action.resourceId } : {}),
          max_volume: action.volume,
          max_amount: action.amount,
        },
      ],
    },
  };
}

const asActionGrant = (action: ActionRecord, minted: { token: string; expiresAt: Date }): ActionGrant => ({
  token: minted.token,
  audience: action.toolResource,
  scope: [action.operation],
  expiresAt: minted.expiresAt.toISOString(),
});

/** What the API offers the deciding workflow to record should it allow the action outright. */
export function proposeRecordedGrant(
  key: SigningKey,
  issuer: string,
  ttlSeconds: number,
  now = new Date(),
): RecordedGrant {
  const { iat, exp } = issueTimes(now, ttlSeconds, GRANT_MAX_LIFETIME_S);
  return { kid: key.kid, issuer, jti: crypto.randomUUID(), iat, exp };
}

/** Whether two records of one action bind a grant to the same request (so one's token is the other's). */
export function sameGrantTerms(a: ActionRecord, b: ActionRecord): boolean {
  return JSON.stringify(grantInputOf(a)) === JSON.stringify(grantInputOf(b));
}

/** The recorded grant as a token: `key` must be the one `recorded.kid` names. */
export async function signActionGrant(
  action: ActionRecord,
  recorded: RecordedGrant,
  key: SigningKey,
): Promise<ActionGrant> {
  if (key.kid !== recorded.kid) throw new TypeError(`The grant was recorded for key ${recorded.kid}, not ${key.kid}.`);
  return asActionGrant(
    action,
    await signRecordedGrant({ ...grantInputOf(action), key, issuer: recorded.issuer }, recorded),
  );
}
