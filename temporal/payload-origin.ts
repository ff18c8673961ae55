/**
 * Where a payload came from, as the codec (vault/payload-codec.ts) established it. Pure: workflow code imports this.
 *
 * A payload encrypted by one of Warden's processes decodes to its value. Anything else decodes to a
 * foreign payload, `{"$wardenForeign": {"origin": …, "value": …}}`: one encrypted by the codec server for a
 * person (`operator`: the Temporal UI or CLI), one sent unencrypted (`unencrypted`: anyone who can reach
 * Temporal), or one that fails to decrypt (`undecryptable`). Workflow code accepts a foreign payload only
 * where a person may speak — and then only with a signed statement (workflows/trust.ts) — and Warden's
 * API never trusts one in a memo or a query's answer.
 *
 * The wrapping is done by the codec, in plain JSON, so the default payload converter (inside the workflow
 * sandbox and in clients) yields it as is. A value Warden itself sends never has the `$wardenForeign` key;
 * one that claims it is only ever treated as foreign — distrust can be added, never removed.
 */

export const FOREIGN_KEY = '$wardenForeign';

export type ForeignOrigin = 'operator' | 'unencrypted' | 'undecryptable';

export interface ForeignPayload {
  [FOREIGN_KEY]: {
    origin: ForeignOrigin;
    /** The value as sent (null when it could not be decrypted or decoded). Never trusted as Warden's. */
    value: unknown;
  };
}

export function isForeign(value: unknown): value is ForeignPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.prototype.hasOwnProperty.call(value, FOREIGN_KEY)
  );
}

const ORIGINS: readonly ForeignOrigin[] = ['operator', 'unencrypted', 'undecryptable'];

/** The origin a foreign payload names; one naming anything else is as bad as undecryptable. */
export function foreignOrigin(value: ForeignPayload): ForeignOrigin {
  const origin = value[FOREIGN_KEY]?.origin;
  return ORIGINS.includes(origin) ? origin : 'undecryptable';
}

const DESCRIPTIONS: Record<ForeignOrigin, string> = {
  operator: 'was encoded by the codec server for a person',
  unencrypted: "was not encrypted with Warden's payload codec",
  undecryptable: "could not be decrypted with Warden's codec keys",
};

export function describeOrigin(origin: ForeignOrigin): string {
  return DESCRIPTIONS[origin] ?? "is not Warden's own";
}
