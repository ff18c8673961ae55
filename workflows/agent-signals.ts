/** Messages other workflows send to an agent's lifecycle workflow. */
import { defineSignal } from '@temporalio/workflow';
import type { ActionRecord } from '../domain/actions.js';

/**
 * An allowed or approved action the agent's baseline should learn from (deduplicated by action id); with
 * `audit`, the agent's workflow also hands its decision to the audit trail (batched with routine ones).
 */
export const learnActionSignal =
  defineSignal<[{ actionId: string; action: ActionRecord; audit?: boolean }]>('learnAction');
