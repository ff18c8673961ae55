/**
 * What an agent's risk policy override may say (risk/policy-check.ts): Warden's own fields, each of its type and in
 * its range; everything else is refused, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { policyOverrideProblem } from '../risk/policy-check.js';
import { DEFAULT_POLICY } from '../risk/policy.js';

describe('a risk policy override', () => {
  it('accepts null, the defaults themselves, and the overrides admins use', () => {
    expect(policyOverrideProblem(null)).toBeNull();
    expect(policyOverrideProblem({})).toBeNull();
    expect(policyOverrideProblem(structuredClone(DEFAULT_POLICY))).toBeNull();
    for (const ok of [
      { warmup: { actions: 20, days: 0 } },
      { thresholds: { LOW: { review: 1000, contain: 1000 }, HIGH: { review: 0, contain: 0 } } },
      { thresholds: { CRITICAL: { review: 25, contain: 101 } }, rules: { containOnHardDeny: false } },
      { rules: { denyOperations: ['bank:transfer', 'crm:*'], amountCeiling: null, highOnNewTool: 'OFF' } },
      { volume: { approval: { memoryMs: 0 } }, sequence: { threadKey: '' }, context: { utcOffsetMinutes: -300 } },
      { context: { keys: [{ key: 'sourceNetwork', label: 'source network', weight: 40 }] } },
      { limits: { threads: 64 } },
    ])
      expect(policyOverrideProblem(ok), JSON.stringify(ok)).toBeNull();
  });

  it.each([
    ['a list', [], 'policy must be an object'],
    ['a string', 'strict', 'policy must be an object'],
    ['an unknown field', { threshold: {} }, 'threshold is not a field of the risk policy'],
    ['a misspelt sensitivity', { thresholds: { high: 90 } }, 'thresholds.high is not a field of the risk policy'],
    ['a number where an object belongs', { thresholds: { HIGH: 90 } }, 'thresholds.HIGH must be an object'],
    ['a string threshold', { thresholds: { HIGH: { review: '35' } } }, 'thresholds.HIGH.review must be a number'],
    ['a negative threshold', { thresholds: { LOW: { contain: -1 } } }, 'thresholds.LOW.contain must be at least 0'],
    [
      'a threshold past any meaning',
      { thresholds: { LOW: { review: 1e9 } } },
      'thresholds.LOW.review must be at most 1000',
    ],
    ['NaN', { volume: { k: Number.NaN } }, 'volume.k must be a number'],
    ['Infinity', { volume: { k: Number.POSITIVE_INFINITY } }, 'volume.k must be a number'],
    ['a negative memory', { volume: { approval: { memoryMs: -1 } } }, 'volume.approval.memoryMs must be at least 0'],
    ['a warm-up factor above 1', { warmup: { signalFactor: 2 } }, 'warmup.signalFactor must be at most 1'],
    ['a fractional count', { warmup: { actions: 2.5 } }, 'warmup.actions must be a whole number'],
    ['a learning weight of 0', { learning: { maxWeight: 0 } }, 'learning.maxWeight must be above 0'],
    ['a quantile of one half', { volume: { tail: { quantile: 0.5 } } }, 'volume.tail.quantile must be above 0.5'],
    ['a baseline bound of a billion', { limits: { operations: 1e9 } }, 'limits.operations must be at most 480'],
    ['a baseline bound of 0', { limits: { threads: 0 } }, 'limits.threads must be at least 1'],
    [
      'an unknown rule decision',
      { rules: { highOnNewTool: 'ALLOW' } },
      'rules.highOnNewTool must be one of REVIEW, DENY, OFF',
    ],
    ['a ceiling as text', { rules: { amountCeiling: '5m' } }, 'rules.amountCeiling must be a number'],
    ['a negative ceiling', { rules: { volumeCeiling: -5 } }, 'rules.volumeCeiling must be at least 0'],
    [
      'operations that are not a list',
      { rules: { denyOperations: 'bank:transfer' } },
      'rules.denyOperations must be a list of "tool:operation"',
    ],
    [
      'an operation that is not text',
      { rules: { reviewOperations: ['a:b', 7] } },
      'rules.reviewOperations[1] must be a string',
    ],
    [
      'too many operations',
      { rules: { denyOperations: Array.from({ length: 101 }, (_, i) => `t:${i}`) } },
      'rules.denyOperations must list at most 100',
    ],
    ['a yes/no as text', { rules: { containOnHardDeny: 'yes' } }, 'rules.containOnHardDeny must be true or false'],
    ['a thread key that is not text', { sequence: { threadKey: 5 } }, 'sequence.threadKey must be a string'],
    [
      'a context key without a weight',
      { context: { keys: [{ key: 'a', label: 'b' }] } },
      'context.keys[0].weight is required',
    ],
    [
      'a context key with a stray field',
      { context: { keys: [{ key: 'a', label: 'b', weight: 1, eval: 'x' }] } },
      'context.keys[0].eval is not a field of a context key',
    ],
    [
      'a context key with a huge weight',
      { context: { keys: [{ key: 'a', label: 'b', weight: 1e6 }] } },
      'context.keys[0].weight must be at most 100',
    ],
    ['a time zone past UTC+14', { context: { utcOffsetMinutes: 900 } }, 'context.utcOffsetMinutes must be at most 840'],
    ['a prototype key', JSON.parse('{"__proto__": {"x": 1}}'), '(__proto__) is not a field of the risk policy'],
    [
      'a hostile key, named printably and cut short',
      { volume: { ['evil\nkey' + 'x'.repeat(200)]: 1 } },
      `volume.evil key${'x'.repeat(53)}... is not a field of the risk policy`,
    ],
    ['an inherited name', { toString: 1 }, 'toString is not a field of the risk policy'],
  ])('refuses %s', (_what, override, problem) => {
    expect(policyOverrideProblem(override)).toBe(problem);
  });
});
