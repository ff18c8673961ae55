/**
 * Which scoring revision this workflow scores with (risk/revisions.ts): today's, unless its history already
 * scored before today's existed — then the one it scored with, so a replay computes what it computed.
 */
import { patched } from '@temporalio/workflow';
import { SCORING_PATCH, type ScoringRevision } from '../risk/revisions.js';

export const scoringRevision = (): ScoringRevision => (patched(SCORING_PATCH) ? 2 : 1);
