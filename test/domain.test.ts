/** Pure lifecycle and validation rules (no Temporal needed). */
import { describe, expect, it } from 'vitest';
import {
  AGENT_STATUSES,
  applyEvent,
  canTransition,
  MAX_EVENTS_IN_STATE,
  transitionRefusal,
  validateAgentRegistration,
  validateReason,
  type AgentState,
} from '../domain/agents.js';
import { DEFAULT_CREDENTIAL_POLICY } from '../domain/credentials.js';
import { isValidEmail, validatePersonInput } from '../domain/people.js';

describe('agent lifecycle transitions', () => {
  const allowed = new Set([
    'DISCOVERED>ACTIVE',
    'DISCOVERED>DECOMMISSIONED',
    'ACTIVE>SUSPENDED',
    'ACTIVE>DECOMMISSIONED',
    'SUSPENDED>ACTIVE',
    'SUSPENDED>DECOMMISSIONED',
  ]);
  for (const from of AGENT_STATUSES) {
    for (const to of AGENT_STATUSES) {
      it(`${from} → ${to} is ${allowed.has(`${from}>${to}`) ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
      });
    }
  }
  it('explains a refusal with what is possible instead', () => {
    expect(transitionRefusal('a1', 'DECOMMISSIONED', 'ACTIVE')).toMatch(/DECOMMISSIONED is final/);
    expect(transitionRefusal('a1', 'SUSPENDED', 'SUSPENDED')).toMatch(/ACTIVE or DECOMMISSIONED/);
  });
});

describe('agent state', () => {
  it('keeps only the most recent events in state', () => {
    let state: AgentState = {
      id: 'x',
      name: 'n',
      platform: 'p',
      description: '',
      status: 'ACTIVE',
      ownerEmail: 'o@example.com',
      statusReason: '',
      createdAt: '',
      updatedAt: '',
      events: [],
      credential: null,
      successor: null,
      revokedBefore: null,
      revokedTokens: [],
      allowedTools: [],
      credentialPolicy: DEFAULT_CREDENTIAL_POLICY,
    };
    for (let i = 0; i < MAX_EVENTS_IN_STATE + 10; i++) {
      state = applyEvent(state, {
        kind: 'SUSPENDED',
        at: String(i),
        actor: { kind: 'system', id: 'warden' },
        reason: `r${i}`,
        fromStatus: 'ACTIVE',
        toStatus: 'SUSPENDED',
      });
    }
    expect(state.events).toHaveLength(MAX_EVENTS_IN_STATE);
    expect(state.events.at(-1)!.reason).toBe(`r${MAX_EVENTS_IN_STATE + 9}`);
    expect(state.status).toBe('SUSPENDED');
    expect(state.updatedAt).toBe(String(MAX_EVENTS_IN_STATE + 9));
  });
});

describe('input validation', () => {
  it('accepts an ordinary registration', () => {
    expect(
      validateAgentRegistration({
        name: 'Invoice bot (EU)',
        platform: 'vertex-ai',
        description: '',
        ownerEmail: 'a@example.com',
      }),
    ).toEqual([]);
  });
  it.each([
    [{ name: '', platform: 'custom' }, /name/],
    [{ name: 'x'.repeat(121), platform: 'custom' }, /name/],
    [{ name: '<script>', platform: 'custom' }, /name may contain/],
    [{ name: 'ok', platform: 'Vertex AI' }, /platform/],
    [{ name: 'ok', platform: '' }, /platform/],
    [{ name: 'ok', platform: 'custom', description: 'd'.repeat(2001) }, /description/],
  ])('refuses %j', (input, problem) => {
    expect(validateAgentRegistration({ description: '', ownerEmail: 'a@example.com', ...input }).join(' ')).toMatch(
      problem,
    );
  });
  it('requires a bounded reason', () => {
    expect(validateReason('  ')).toEqual(['a reason is required']);
    expect(validateReason('r'.repeat(501))[0]).toMatch(/at most 500/);
    expect(validateReason('incident 42')).toEqual([]);
  });
  it('checks people', () => {
    expect(isValidEmail('alice@example.com')).toBe(true);
    for (const bad of [
      'alice',
      'alice@',
      '@example.com',
      "a'b@example.com OR 1=1",
      'a@b',
      `${'a'.repeat(65)}@example.com`,
    ])
      expect(isValidEmail(bad)).toBe(false);
    expect(
      validatePersonInput({ email: 'a@example.com', displayName: 'A', roles: ['admin', 'root' as never] }).join(),
    ).toMatch(/unknown role "root"/);
    expect(validatePersonInput({ email: 'a@example.com', displayName: ' ', roles: [] }).join()).toMatch(/displayName/);
    expect(validatePersonInput({ email: 'a@example.com', displayName: 'A', roles: ['admin', 'admin'] }).join()).toMatch(
      /repeat/,
    );
  });
});

describe('gateway path patterns', () => {
  it('match operations and name the resource', async () => {
    const { resourceInPath, matchOperation } = await import('../domain/tools.js');
    expect(resourceInPath('/accounts/{resource}', '/accounts/acct-1')).toBe('acct-1');
    expect(resourceInPath('/accounts/*', '/accounts/acct-1')).toBeNull();
    expect(resourceInPath('/files/**', '/files/a/b/c')).toBeNull();
    expect(resourceInPath('/accounts/*', '/accounts/a/b')).toBe(false);
    expect(
      matchOperation([{ name: 'read', sensitivity: 'LOW', method: 'GET', path: '/invoices/*' }], 'get', '/invoices/9')
        ?.name,
    ).toBe('read');
  });
  it('never match dot segments, encoded separators or broken escapes (they would escape the pattern upstream)', async () => {
    const { resourceInPath } = await import('../domain/tools.js');
    for (const path of [
      '/invoices/../transfers',
      '/invoices/%2e%2e/transfers',
      '/invoices/%2E%2E',
      '/invoices/.',
      '/invoices/a%2Fb',
      '/invoices/a%5Cb',
      '/invoices/%ZZ',
    ]) {
      expect(resourceInPath('/invoices/**', path), path).toBe(false);
      expect(resourceInPath('/invoices/*/*', path), path).toBe(false);
    }
  });
  it('never match empty segments, a trailing slash, a backslash or control characters: one path, one spelling', async () => {
    const { resourceInPath, gatewaySegments } = await import('../domain/tools.js');
    for (const path of [
      '/accounts//acc-1',
      '//accounts/acc-1',
      '/accounts/acc-1/',
      '/accounts\\acc-1',
      '/accounts/acc%00-1',
      '/accounts/acc 1',
      'accounts/acc-1',
    ]) {
      expect(resourceInPath('/accounts/{resource}', path), path).toBe(false);
      expect(resourceInPath('/accounts/**', path), path).toBe(false);
      expect('problem' in gatewaySegments(path), path).toBe(true);
    }
    expect(gatewaySegments('/accounts//acc-1')).toEqual({ problem: 'empty-segment' });
    expect(gatewaySegments('/a/%2e%2e')).toEqual({ problem: 'dot-segment' });
    expect(gatewaySegments('/a/b%2Fc')).toEqual({ problem: 'encoded-separator' });
    expect(gatewaySegments('/')).toEqual({ segments: [] });
  });
  it('accept only the query parameters an operation lists', async () => {
    const { unexpectedQuery } = await import('../domain/tools.js');
    const op = {
      name: 'list',
      sensitivity: 'LOW' as const,
      method: 'GET',
      path: '/invoices',
      query: ['status', 'page'],
    };
    expect(unexpectedQuery(op, new URLSearchParams('status=open&page=2'))).toEqual([]);
    expect(unexpectedQuery(op, new URLSearchParams('status=open&admin=1&admin=2'))).toEqual(['admin']);
    expect(unexpectedQuery({ ...op, query: null }, new URLSearchParams('x=1'))).toEqual(['x']);
    expect(unexpectedQuery({ ...op, query: null }, new URLSearchParams(''))).toEqual([]);
  });
});
