/**
 * Scoring revisions (risk/revisions.ts): a workflow that scored before today's revision replays with the scoring
 * it used. Revision 1 must decide exactly as the code before issue 19 did, revision 2 as the code before the
 * per-operation rate, revision 3 as the code before the observed tail, the session carry and the approved pace: the
 * digests below are of every decision and score that code (commit b9fe343's, b13dcb0's and 8ba802b's risk/) made on
 * three small synthetic traces, recomputed here.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateFourthFamily } from '../bench/detector/families/fourth.js';
import { generateSecondFamily } from '../bench/detector/families/second.js';
import { generateTraces } from '../bench/detector/generate-traces.js';
import { replay } from '../bench/detector/replay.js';
import { scoringPolicy, type ScoringRevision } from '../risk/revisions.js';
import { DEFAULT_POLICY } from '../risk/policy.js';

const TRACES = {
  first: () => generateTraces({ seed: 3, agentsPerArchetype: 1, days: 35 }),
  second: () => generateSecondFamily({ seed: 3, agentsPerArchetype: 1, days: 35 }),
  // A 24×7 SOC agent whose busiest steps have more next steps than a row keeps: rows evict.
  fourth: () => generateFourthFamily({ seed: 3, agentsPerArchetype: 1, days: 35 }),
};
/** sha256 of "DECISION[!]score" per line, joined by commas, from b9fe343's risk/. */
const BEFORE_ISSUE_19 = {
  first: '05351e1ea88e6cd178d9842b8811ce4c0aacdc22b874e6292294ff89d191a37d',
  second: 'ed54ec6dcdc3bd818996b5dc09cc19422e61da9631e138613e108bf798f09810',
  fourth: 'ea8112c966d6a0ac61a89da34281d4776f36764de13ea5ebdf8b40e82db2d41c',
};
/** The same, from b13dcb0's risk/ (revision 2, the rate signal on the agent's whole pace alone). */
const BEFORE_RATE_PER_OPERATION = {
  first: '2fe96aa4676201506a9b91ebc1c5f4546d6c20c4abb1b4a7b7647bfc12493d90',
  second: '5bc48380b22b41d861692c1e0584b4499f1ed0de22bd8b2f5d6e12c76c2f88f6',
  fourth: '4a65dda88b744995b647b7ac908213c27d92413ad1faa7508d4eebb2fa9e843c',
};
/** The same, from 8ba802b's risk/ (revision 3, before the observed tail, the session carry and the approved pace). */
const BEFORE_TAIL_AND_SESSION = {
  first: 'a714b8720157c5def87a8585d872aa6119ebd5893a1d0667b5e8e67e7ca3d0b1',
  second: '46194ff0a5ecc3476ca24a1d93ec2ad54eff595d3622c1956872f2b799851bc7',
  fourth: 'bccbe00a338533d0636f6c23267eddefa366016fd368b1ee2d71a5378f127afd',
};

const digest = (family: keyof typeof TRACES, revision: ScoringRevision) =>
  createHash('sha256')
    .update(
      replay(TRACES[family](), scoringPolicy(revision, null))
        .map((r) => `${r.decision}${r.contain ? '!' : ''}${r.score}`)
        .join(','),
    )
    .digest('hex');

describe('scoring revisions', () => {
  it.each(['first', 'second', 'fourth'] as const)(
    'revision 1 decides every request of family %s as before',
    (family) => {
      expect(digest(family, 1)).toBe(BEFORE_ISSUE_19[family]);
    },
  );

  it.each(['first', 'second', 'fourth'] as const)(
    'revision 2 decides every request of family %s as before the per-operation rate',
    (family) => {
      expect(digest(family, 2)).toBe(BEFORE_RATE_PER_OPERATION[family]);
    },
  );

  it.each(['first', 'second', 'fourth'] as const)(
    'revision 3 decides every request of family %s as before the observed tail, the session carry and the approved pace',
    (family) => {
      expect(digest(family, 3)).toBe(BEFORE_TAIL_AND_SESSION[family]);
    },
  );

  it('revision 4 is today’s default policy, and decides differently from the others', () => {
    expect(scoringPolicy(4, null)).toEqual(DEFAULT_POLICY);
    expect(digest('fourth', 4)).not.toBe(BEFORE_TAIL_AND_SESSION.fourth);
    expect(digest('second', 4)).not.toBe(BEFORE_ISSUE_19.second);
    expect(digest('second', 4)).not.toBe(BEFORE_RATE_PER_OPERATION.second);
  });

  it('an agent’s own override applies on top of any revision', () => {
    const override = { thresholds: { HIGH: { review: 20 } } };
    for (const revision of [1, 2, 3, 4] as const) {
      expect(scoringPolicy(revision, override).thresholds.HIGH.review).toBe(20);
    }
    expect(scoringPolicy(1, override).thresholds.MEDIUM.contain).toBe(80);
    expect(scoringPolicy(2, override).rate.operation.weight).toBe(0);
    expect(scoringPolicy(3, override).volume.tail.minSamples).toBe(0);
    expect(scoringPolicy(3, override).context.sessionCarry).toBe(0);
    expect(scoringPolicy(3, override).rate.approval.memoryMs).toBe(0);
  });
});
