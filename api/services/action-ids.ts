/** Action ids: derived from the agent and its idempotency key, so a retry names the same action. */
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The same agent and idempotency key always name the same action (a name-based UUID, version 5 layout). */
export function actionIdFor(agentId: string, idempotencyKey: string): string {
  const h = createHash('sha256').update(`${agentId}\n${idempotencyKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Whether a string has an action id's shape (checked before anything is read with it). */
export function isActionId(value: string): boolean {
  return UUID.test(value);
}
