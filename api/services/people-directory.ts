/**
 * The people directory over Temporal: one `person:<email>` entity workflow per human. A person's roles
 * here are Warden's authority for what they may do: tokens say who someone is, the directory what they
 * may do now. Knows nothing of GraphQL; callers pass an already-authorized commander.
 */
import { WithStartWorkflowOperation, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { badInput } from '../../domain/errors.js';
import {
  isRole,
  normalizeEmail,
  personWorkflowId,
  SLACK_USER_ID,
  validatePersonInput,
  delegationActive,
  validateDelegation,
  type Delegation,
  type DelegationInput,
  type Person,
  type PersonInput,
  type Role,
} from '../../domain/people.js';
import type { Delegator } from '../../domain/approval-policy.js';
import { isForeign } from '../../temporal/payload-origin.js';
import {
  delegateApprovalsUpdate,
  endDelegationUpdate,
  personWorkflow,
  upsertPersonUpdate,
} from '../../workflows/person.js';
import type { Commander, Commands } from '../../services/commands.js';
import { viaTemporal } from './temporal-errors.js';
import { deploymentClauses } from '../../temporal/visibility.js';

/** How long a process may use a person's roles without reading them again (a role removed takes effect within it). */
export const DEFAULT_ROLES_CACHE_MS = 500;

export class PeopleDirectory {
  private readonly roleCache = new Map<string, { roles: Role[]; at: number }>();

  constructor(
    private readonly client: Client,
    private readonly commands: Commands,
    private readonly options: { taskQueue: string; rolesCacheMs?: number },
  ) {}

  async upsert(by: Commander, input: PersonInput): Promise<Person> {
    const person = { ...input, email: normalizeEmail(input.email), displayName: input.displayName.trim() };
    const problems = validatePersonInput(person);
    if (problems.length) throw badInput(problems.join('; '));
    const workflowId = personWorkflowId(person.email);
    const saved = await viaTemporal(
      () =>
        this.commands.sendWithStart(
          upsertPersonUpdate,
          { person },
          by,
          (trust) =>
            new WithStartWorkflowOperation(personWorkflow, {
              workflowId,
              taskQueue: this.options.taskQueue,
              args: [{ email: person.email, person: null, trust }],
              workflowIdConflictPolicy: 'USE_EXISTING',
              staticSummary: `Person ${person.email}`,
            }),
          workflowId,
        ),
      `No person ${person.email}.`,
    );
    this.roleCache.set(saved.email, { roles: saved.roles, at: Date.now() });
    return saved;
  }

  /**
   * The person, or null when the directory has no such email. Read from the entry's memo (the server
   * answers: no worker needed, so a decision can be signed while workers restart), only while its workflow
   * runs and only as Warden wrote it.
   */
  async find(email: string): Promise<Person | null> {
    const normalized = normalizeEmail(email);
    let person: Person | null = null;
    try {
      const info = await viaTemporal(
        () => this.client.workflow.getHandle(personWorkflowId(normalized)).describe(),
        'missing',
      );
      const memo = (info.memo ?? {}) as Partial<Record<keyof Person, unknown>>;
      person = info.status.name === 'RUNNING' ? personFromMemo(normalized, memo, info.startTime) : null;
    } catch (err) {
      if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
    }
    if (this.roleCache.size > 10_000) this.roleCache.clear();
    this.roleCache.set(normalized, { roles: person?.roles ?? [], at: Date.now() });
    return person;
  }

  /**
   * A person's roles as the directory holds them, at most `rolesCacheMs` old (`fresh`: read now); anyone else has none.
   */
  async roles(email: string, { fresh = false } = {}): Promise<Role[]> {
    const normalized = normalizeEmail(email);
    const hit = this.roleCache.get(normalized);
    if (!fresh && hit && Date.now() - hit.at < (this.options.rolesCacheMs ?? DEFAULT_ROLES_CACHE_MS)) return hit.roles;
    return (await this.find(normalized))?.roles ?? [];
  }

  /** Hands `delegator`'s approvals to another person for a window (the person themself or an admin). */
  async delegate(by: Commander, delegator: string, input: DelegationInput): Promise<Delegation[]> {
    const email = normalizeEmail(delegator);
    const problems = validateDelegation(email, input, Date.now());
    if (problems.length) throw badInput(problems.join('; '));
    if (!(await this.find(email))) throw badInput(`${email} is not in the directory.`);
    return viaTemporal(
      () => this.commands.send(personWorkflowId(email), delegateApprovalsUpdate, input, by),
      `No person ${email}.`,
    );
  }

  async endDelegation(by: Commander, delegator: string, to: string): Promise<Delegation[]> {
    const email = normalizeEmail(delegator);
    return viaTemporal(
      () => this.commands.send(personWorkflowId(email), endDelegationUpdate, { to: normalizeEmail(to) }, by),
      `No person ${email}.`,
    );
  }

  /** A person's delegations (running or to come), from their entry's memo, read now. */
  async delegationsOf(email: string): Promise<Delegation[]> {
    return (await this.entry(email))?.delegations ?? [];
  }

  /**
   * Who has delegated their approvals to `email` for a window that includes now, with their roles now: the
   * candidates from a scan of the directory in visibility (directories of people are small; a delegation
   * search attribute would replace the scan for very large ones), each confirmed on the entry itself — a
   * delegation just ended, or a role just removed, may still show in visibility.
   */
  async delegatorsOf(email: string): Promise<Delegator[]> {
    const to = normalizeEmail(email);
    const candidates: string[] = [];
    for await (const { memo } of this.memos())
      if (typeof memo.email === 'string' && delegationsFromMemo(memo.delegations).some((d) => d.to === to))
        candidates.push(memo.email);
    const entries = await Promise.all(candidates.map((c) => this.entry(c)));
    const now = Date.now();
    return entries.flatMap((e) =>
      e && e.delegations.some((d) => d.to === to && delegationActive(d, now))
        ? [{ email: e.person.email, roles: e.person.roles }]
        : [],
    );
  }

  /** A directory entry and its delegations, read now from its workflow (the server answers: no worker needed). */
  private async entry(email: string): Promise<{ person: Person; delegations: Delegation[] } | null> {
    const normalized = normalizeEmail(email);
    try {
      const info = await viaTemporal(
        () => this.client.workflow.getHandle(personWorkflowId(normalized)).describe(),
        'missing',
      );
      if (info.status.name !== 'RUNNING') return null;
      const memo = (info.memo ?? {}) as PersonMemo;
      const person = personFromMemo(normalized, memo, info.startTime);
      return person ? { person, delegations: delegationsFromMemo(memo.delegations) } : null;
    } catch (err) {
      if ((err as { code?: string }).code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  /** Every directory entry's memo, from visibility: eventually consistent, so confirm on the entry before use. */
  private async *memos(pageSize = 1000): AsyncGenerator<{ memo: PersonMemo; info: WorkflowExecutionInfo }> {
    for await (const info of this.client.workflow.list({
      query: deploymentClauses('personWorkflow', this.options.taskQueue).join(' AND '),
      pageSize,
    }))
      yield { memo: (info.memo ?? {}) as PersonMemo, info };
  }

  /**
   * The person whose entry names this Slack user, or null — none, or more than one (a click that could be
   * two people's is nobody's). Found through visibility (a scan of the directory's memos: directories are
   * small), then confirmed on the entry itself, since a link just removed may still show in visibility.
   */
  async findBySlackUserId(slackUserId: string): Promise<Person | null> {
    if (!SLACK_USER_ID.test(slackUserId)) return null;
    const emails = new Set<string>();
    for await (const { memo } of this.memos())
      if (memo.slackUserId === slackUserId && typeof memo.email === 'string') emails.add(memo.email);
    if (emails.size !== 1) return null;
    const person = await this.find([...emails][0]!);
    return person?.slackUserId === slackUserId ? person : null;
  }

  /** People in the directory (from visibility), newest first, `limit` from `offset`. */
  async list(limit: number, offset: number): Promise<Person[]> {
    if (offset > 10_000) throw badInput('Paging deeper than 10000 people is not supported.');
    const people: Person[] = [];
    let index = 0;
    for await (const { memo, info } of this.memos(Math.min(offset + limit, 1000))) {
      // Started but not yet written (a failed first upsert), or not written by Warden.
      const person =
        typeof memo.email === 'string' && personWorkflowId(memo.email) === info.workflowId
          ? personFromMemo(memo.email, memo, info.startTime)
          : null;
      if (!person) continue;
      if (index++ < offset) continue;
      people.push(person);
      if (people.length >= limit) break;
    }
    return people;
  }
}

type PersonMemo = Partial<Record<keyof Person, unknown>> & { delegations?: unknown };

/** Delegations from a memo, only as Warden wrote them. */
function delegationsFromMemo(value: unknown): Delegation[] {
  if (!Array.isArray(value) || isForeign(value)) return [];
  return value.filter(
    (d): d is Delegation =>
      typeof d === 'object' &&
      d !== null &&
      typeof d.to === 'string' &&
      typeof d.from === 'string' &&
      typeof d.until === 'string',
  );
}

/** A directory entry from its memo: only fields Warden wrote (a foreign memo value is not a string or a list). */
function personFromMemo(email: string, memo: Partial<Record<keyof Person, unknown>>, startTime: Date): Person | null {
  if (memo.email !== email || !Array.isArray(memo.roles) || isForeign(memo.roles)) return null;
  return {
    email,
    displayName: typeof memo.displayName === 'string' ? memo.displayName : email,
    roles: memo.roles.filter((r): r is Role => isRole(String(r))),
    createdAt: typeof memo.createdAt === 'string' ? memo.createdAt : startTime.toISOString(),
    updatedAt: typeof memo.updatedAt === 'string' ? memo.updatedAt : startTime.toISOString(),
    updatedBy: typeof memo.updatedBy === 'string' ? memo.updatedBy : '',
    ...(typeof memo.slackUserId === 'string' && SLACK_USER_ID.test(memo.slackUserId)
      ? { slackUserId: memo.slackUserId }
      : {}),
  };
}
