/**
 * The approval routing policy on its own: the shipped file, how rules match, what a mistake in the file
 * says (the line), and the voting rules the action workflow applies (quorum, required deciders, the owner
 * never alone, one seat per person and their delegators, tiers opening with escalation).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApprovalPolicyError, loadApprovalPolicy, parseApprovalPolicy } from '../api/approval-policy-file.js';
import { PROJECT_ROOT } from '../config/config.js';
import {
  quorumReached,
  routeFor,
  standingOf,
  voteRefusal,
  waitingFor,
  type ApprovalRoute,
  type ApprovalVote,
} from '../domain/approval-policy.js';

const DAY = 86_400_000;
const action = (over: Partial<Parameters<typeof routeFor>[1]> = {}) => ({
  sensitivity: 'MEDIUM' as const,
  tool: 'erp',
  operation: 'export',
  amount: 0,
  volume: 10,
  ...over,
});
const errorOf = (text: string) => {
  try {
    parseApprovalPolicy(text, 'policy.yaml', DAY);
  } catch (err) {
    expect(err).toBeInstanceOf(ApprovalPolicyError);
    return (err as Error).message;
  }
  throw new Error('the policy was accepted');
};

describe('the policy file', () => {
  it('the shipped policy: CRITICAL or ≥ 50,000 needs two approvers with security; HIGH escalates; the rest default', () => {
    const policy = loadApprovalPolicy(path.join(PROJECT_ROOT, 'config', 'approval-policy.yaml'), DAY);
    const critical = routeFor(policy, action({ sensitivity: 'CRITICAL' }));
    expect(critical).toMatchObject({ rule: 'critical-or-large-amount', approvals: 2, mustInclude: ['security'] });
    expect(critical.ownerMayApproveAlone).toBe(false);
    expect(routeFor(policy, action({ amount: 50_000 })).rule).toBe('critical-or-large-amount');
    expect(routeFor(policy, action({ amount: 49_999.99 })).rule).toBe('default');
    expect(routeFor(policy, action({ sensitivity: 'HIGH' })).tiers).toEqual([
      { afterMs: 0, deciders: ['owner', 'security'] },
      { afterMs: 3_600_000, deciders: ['admin'] },
    ]);
    expect(routeFor(policy, action()).deadlineMs).toBe(DAY);
  });

  it('the first matching rule wins; conditions of one match all hold; a list of matches is any', () => {
    const policy = parseApprovalPolicy(
      `version: 1
rules:
  - name: big-erp-export
    match: { tools: [erp], volume: { atLeast: 1000 } }
    deciders: [security]
  - name: payments
    match:
      - operations: [bank.transfer]
      - amount: { atLeast: 10, below: 20 }
    deciders: [cfo@example.com]
default:
  deciders: [owner]
  deadline: 2h
`,
      'policy.yaml',
      DAY,
    );
    expect(routeFor(policy, action({ volume: 1000 })).rule).toBe('big-erp-export');
    expect(routeFor(policy, action({ volume: 999 })).rule).toBe('default');
    expect(routeFor(policy, action({ tool: 'bank', operation: 'transfer' })).rule).toBe('payments');
    expect(routeFor(policy, action({ amount: 15 })).tiers[0]!.deciders).toEqual(['cfo@example.com']);
    expect(routeFor(policy, action({ amount: 20 })).rule).toBe('default');
    expect(routeFor(policy, action()).deadlineMs).toBe(2 * 3_600_000);
  });

  it('a mistake stops the start with the file and the line it is on', () => {
    expect(errorOf('version: 1\ndefault:\n  deciders: [owner\n')).toMatch(
      /policy\.yaml is not valid YAML:\n\s+line \d/,
    );
    const unknownDecider = errorOf(`version: 1
default:
  deciders: [owner]
rules:
  - name: a
    match: { sensitivity: [HIGH] }
    deciders: [owner, auditors]
`);
    expect(unknownDecider).toMatch(/line 7 \(rules\.0\.deciders\.1\): "owner", a role/);
    expect(errorOf('version: 1\ndefault:\n  deciders: [owner]\n  deadline: soon\n')).toMatch(
      /line 4 \(default\.deadline\): a duration/,
    );
    expect(errorOf('version: 1\ndefault:\n  deciders: [owner]\n  aproovals: 2\n')).toMatch(/line \d \(default\)/);
    expect(
      errorOf(`version: 1
default:
  deciders: [owner]
rules:
  - name: late
    match: { sensitivity: [LOW] }
    deciders: [owner]
    deadline: 1h
    escalate:
      - after: 2h
        to: [admin]
`),
    ).toMatch(/line 10 \(rules\.0\.escalate\.0\.after\): an escalation must come before the deadline/);
    expect(
      errorOf(`version: 1
default:
  deciders: [owner]
rules:
  - name: x
    match: { sensitivity: [LOW] }
    deciders: [owner]
    mustInclude: [security]
  - name: x
    match: { sensitivity: [TOP] }
    deciders: [owner]
`),
    ).toMatch(/line 10 \(rules\.1\.match\.0\.sensitivity\.0\): Invalid option: expected one of "LOW"/);
    const twice = errorOf(`version: 1
default:
  deciders: [owner]
rules:
  - name: x
    match: { sensitivity: [LOW] }
    deciders: [owner]
    mustInclude: [security]
  - name: x
    match: { sensitivity: [HIGH] }
    deciders: [owner]
`);
    expect(twice).toMatch(/line 8 \(rules\.0\.mustInclude\.0\): "security" is not among this rule's deciders/);
    expect(twice).toMatch(/line 9 \(rules\.1\.name\): rule "x" is named twice/);
    expect(errorOf('version: 2\ndefault:\n  deciders: [owner]\n')).toMatch(/line 1 \(version\)/);
    expect(() => loadApprovalPolicy('/nonexistent/policy.yaml', DAY)).toThrow(/Cannot read the approval policy/);
  });
});

describe('votes', () => {
  const route: ApprovalRoute = {
    rule: 'critical',
    approvals: 2,
    mustInclude: ['security'],
    ownerMayApproveAlone: false,
    tiers: [
      { afterMs: 0, deciders: ['owner', 'security'] },
      { afterMs: 60_000, deciders: ['admin', 'cfo@example.com'] },
    ],
    deadlineMs: DAY,
  };
  const owner = 'olivia@example.com';
  const as = (
    email: string,
    roles: ('admin' | 'security' | 'approver')[],
    delegators: { email: string; roles: [] }[] = [],
  ) => standingOf({ email, roles, delegators }, owner);
  const cast = (
    email: string,
    standing: ReturnType<typeof as>,
    decision: 'APPROVE' | 'DENY' = 'APPROVE',
  ): ApprovalVote => ({
    by: email,
    ...standing,
    decision,
    comment: null,
    at: '2026-12-07T00:00:00.000Z',
  });

  it('the owner and then security reach the quorum; two owner-side votes never do', () => {
    const olivia = as(owner, ['approver']);
    const sam = as('sam@example.com', ['security']);
    expect(olivia.capacities).toContain('owner');
    expect(voteRefusal(route, 0, [], olivia, owner, 'APPROVE')).toBeNull();
    const votes = [cast(owner, olivia)];
    expect(quorumReached(route, votes)).toBe(false);
    expect(waitingFor(route, 0, votes)).toMatch(/1 more approval .* including the security role/);
    expect(voteRefusal(route, 0, votes, olivia, owner, 'APPROVE')).toMatchObject({ code: 'CONFLICT' });
    // Someone who holds the owner's approvals is the owner's seat too.
    const bob = as('bob@example.com', [], [{ email: owner, roles: [] }]);
    expect(voteRefusal(route, 0, votes, bob, 'bob@example.com', 'APPROVE')).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/one vote per person/),
    });
    expect(voteRefusal(route, 0, votes, sam, 'sam@example.com', 'APPROVE')).toBeNull();
    expect(quorumReached(route, [...votes, cast('sam@example.com', sam)])).toBe(true);
  });

  it('a last approval that would leave the quorum without security is refused; a denial is not', () => {
    const alice = as('alice@example.com', ['admin']);
    const olivia = as(owner, ['approver']);
    const votes = [cast(owner, olivia)];
    // Not open yet: the admin tier opens when the action escalates.
    expect(voteRefusal(route, 0, votes, alice, 'alice@example.com', 'APPROVE')).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/only once it escalates/),
    });
    expect(voteRefusal(route, 1, votes, alice, 'alice@example.com', 'APPROVE')).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/still needs the security role/),
    });
    expect(voteRefusal(route, 1, votes, alice, 'alice@example.com', 'DENY')).toBeNull();
    expect(voteRefusal(route, 1, [], as('cfo@example.com', []), 'cfo@example.com', 'APPROVE')).toBeNull();
    expect(voteRefusal(route, 1, [], as('eve@example.com', ['approver']), 'eve@example.com', 'DENY')).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('an approval that would leave too few approvals for the required deciders waits for them: no dead end', () => {
    const both: ApprovalRoute = { ...route, mustInclude: ['security', 'admin'], ownerMayApproveAlone: true };
    const olivia = as(owner, ['approver']);
    const sam = as('sam@example.com', ['security']);
    const alice = as('alice@example.com', ['admin']);
    // Two approvals, two required deciders: the owner first would leave one approval for two of them.
    expect(voteRefusal(both, 1, [], olivia, owner, 'APPROVE')).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/After this approval 1 more would be needed, .*security role and the admin role/),
    });
    expect(voteRefusal(both, 1, [], olivia, owner, 'DENY')).toBeNull();
    const votes = [cast('sam@example.com', sam)];
    expect(voteRefusal(both, 1, votes, olivia, owner, 'APPROVE')).toMatchObject({ code: 'FORBIDDEN' });
    expect(voteRefusal(both, 1, votes, alice, 'alice@example.com', 'APPROVE')).toBeNull();
    expect(quorumReached(both, [...votes, cast('alice@example.com', alice)])).toBe(true);
    expect(() =>
      parseApprovalPolicy(
        'version: 1\ndefault:\n  deciders: [security, admin]\n  mustInclude: [security, admin]\n',
        'policy.yaml',
        DAY,
      ),
    ).toThrow(
      /line 3 \(default\.approvals\): the rule requires 2 different approvers \(mustInclude\), more than approvals/,
    );
  });

  it('the owner is never the only approver, even of a one-approval rule', () => {
    const single: ApprovalRoute = { ...route, approvals: 1, mustInclude: [] };
    const olivia = as(owner, ['security']);
    expect(voteRefusal(single, 0, [], olivia, owner, 'APPROVE')).toMatchObject({
      message: expect.stringMatching(/someone besides the agent's owner/),
    });
    expect(voteRefusal(single, 0, [], as('sam@example.com', ['security']), 'sam@example.com', 'APPROVE')).toBeNull();
  });
});
