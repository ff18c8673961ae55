/** Messages other workflows send to an agent's lifecycle workflow. */
import { defineSignal } from '@temporalio/workflow';
import type { ActionRecord } from '../domain/actions.js';

/** An allowed or approved action the agent's baseline should learn from (deduplicated by action id). */
export const learnActionSignal = defineSignal<[{ actionId: string; action: ActionRecord }]>('learnAction');
