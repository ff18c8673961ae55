/**
 * Which scoring revision this workflow scores with (risk/revisions.ts): today's, unless its history already
 * scored before today's existed — then the one it scored with, so a replay computes what it computed.
 */
import { patched } from '@temporalio/workflow';
import { SCORING_PATCHES, type ScoringRevision } from '../risk/revisions.js';

// Newest first: a new decision marks revision 4; a replay finds the marks its history recorded, so the same branch.
export const scoringRevision = (): ScoringRevision =>
  patched(SCORING_PATCHES[4]) ? 4 : patched(SCORING_PATCHES[3]) ? 3 : patched(SCORING_PATCHES[2]) ? 2 : 1;
