/** Client-assertion replay detection in one API process (api/oauth/assertion-replay.ts). */
import { describe, expect, it } from 'vitest';
import { AssertionReplayCache } from '../api/oauth/assertion-replay.js';

describe('assertion replay cache', () => {
  it('accepts a jti once per client while remembered, and again once it is forgotten', () => {
    const cache = new AssertionReplayCache();
    expect(cache.claim('agent-a', 'j1', 2_000, 1_000)).toBe('fresh');
    expect(cache.claim('agent-a', 'j1', 2_000, 1_500)).toBe('replayed');
    // The same jti from another client is another assertion.
    expect(cache.claim('agent-b', 'j1', 2_000, 1_500)).toBe('fresh');
    expect(cache.claim('agent-a', 'j1', 3_000, 2_000)).toBe('fresh');
  });

  it('when full of live entries it refuses new assertions rather than forget one; expired entries make room', () => {
    const cache = new AssertionReplayCache(2);
    expect(cache.claim('a', 'j1', 5_000, 1_000)).toBe('fresh');
    expect(cache.claim('a', 'j2', 10_000, 1_000)).toBe('fresh');
    expect(cache.claim('a', 'j3', 10_000, 2_000)).toBe('full');
    // Refused while full: j1 is still remembered.
    expect(cache.claim('a', 'j1', 10_000, 2_000)).toBe('replayed');
    // After j1 expired, it is purged to make room.
    expect(cache.claim('a', 'j3', 10_000, 6_000)).toBe('fresh');
    expect(cache.size).toBe(2);
    expect(cache.claim('a', 'j2', 10_000, 6_000)).toBe('replayed');
  });
});
