/**
 * Slack's interactivity callbacks: a click on Approve or Deny in a held action's Slack message becomes the
 * same decision a click in the console makes (ActionCommands.approve / deny, so the action's workflow checks
 * the person's authority then, as for any decision). Before anything is read, the request must be Slack's:
 * signed with the app's signing secret (`X-Slack-Signature: v0=<HMAC-SHA256 of "v0:<timestamp>:<raw body>">`,
 * compared in constant time), sent within five minutes either way of `X-Slack-Request-Timestamp`, and not a
 * signature seen before; its payload must be one of Warden's buttons, from the configured workspace, with a
 * `response_url` at an allowed origin (./slack-payload.ts). Every refusal answers a stable code and message
 * and is audited (`access.denied`).
 *
 * Slack wants an answer within 3 seconds: a click that passes those checks is acknowledged at once, before
 * anything slower (the directory's lookup of the Slack user, the decision, the audit); the outcome is posted
 * to the payload's `response_url` (the buttons replaced by who decided what, or the refusal in words, shown
 * to the clicker alone).
 *
 * Replays: accepted signatures are remembered by this process for the window. With several API processes,
 * a replay sent to another process within the window is not caught here; it still reaches the action's
 * workflow, which records one vote per person and refuses a second decision by the same person (CONFLICT)
 * — a replayed click can never count twice, nor decide for anyone but the person who clicked.
 */
import type http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { FINAL_STATUSES, type ActionRecord } from '../../domain/actions.js';
import { ErrorCode, WardenError } from '../../domain/errors.js';
import type { Person } from '../../domain/people.js';
import { SLACK_APPROVE, SLACK_OPEN, decidedMessage, slackEscape } from '../../domain/slack.js';
import { actionPageUrl } from '../../domain/notifications.js';
import type { AuditInput } from '../../audit/events.js';
import type { WardenConfig } from '../../config/config.js';
import { sendJson } from '../oauth/http.js';
import { parseClick, SlackRefusal, type SlackClick } from './slack-payload.js';

export const SLACK_INTERACTIONS_PATH = '/integrations/slack/interactions';
/** Where Slack's response_url points. */
export const SLACK_RESPONSE_ORIGIN = 'https://hooks.slack.com';

/** Slack's window for a request's timestamp, either way. */
export const SLACK_WINDOW_SECONDS = 300;
/** An interaction payload carries the clicked message; a few dozen blocks fit well under this. */
export const MAX_SLACK_BODY_BYTES = 128 * 1024;
const RESPONSE_TIMEOUT_MS = 10_000;

export interface SlackSettings {
  /** The Slack app's signing secret; unset = the endpoint answers 404. */
  signingSecret?: string;
  /** Warden's public URL, for links to the console. */
  publicUrl: string;
  /** Origins a click's response_url may point at; Slack's (https://hooks.slack.com) when unset. */
  responseOrigins?: string[];
  /** The Slack workspace whose clicks are taken; unset = any. */
  teamId?: string;
  /** Clock in epoch milliseconds (tests); Date.now by default. */
  now?: () => number;
}

export function slackSettings(config: WardenConfig): SlackSettings {
  return {
    signingSecret: config.notifications.slackSigningSecret,
    publicUrl: config.api.publicUrl,
    responseOrigins: config.notifications.slackResponseOrigins,
    teamId: config.notifications.slackTeamId,
  };
}

export interface SlackInteractionDeps {
  people: { findBySlackUserId(slackUserId: string): Promise<Person | null> };
  actionCommands: {
    approve(email: string, actionId: string, comment: string): Promise<ActionRecord>;
    deny(email: string, actionId: string, reason: string): Promise<ActionRecord>;
  };
  audit: { record(input: AuditInput): Promise<void> };
}

/** Signatures accepted in the last window, each until it could no longer pass the timestamp check. */
class SeenSignatures {
  private readonly until = new Map<string, number>();

  /** Remembers the signature; false when it was already seen within the window. */
  admit(signature: string, nowMs: number): boolean {
    for (const [seen, until] of this.until) {
      if (until > nowMs) break; // insertion order is expiry order (the window is fixed)
      this.until.delete(seen);
    }
    if (this.until.has(signature)) return false;
    this.until.set(signature, nowMs + 2 * SLACK_WINDOW_SECONDS * 1000);
    return true;
  }
}

/** The v0 signature Slack sends for this timestamp and raw body. */
export function slackSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest('hex')}`;
}

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readRaw(req: http.IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_SLACK_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_SLACK_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const tooLarge = () =>
  new SlackRefusal(413, 'payload_too_large', `The body is larger than ${MAX_SLACK_BODY_BYTES} bytes.`);

/** What a decision's refusal says to the person who clicked, by the workflow's stable code. */
function refusalWords(err: unknown): { code: string; text: string } {
  if (!(err instanceof WardenError))
    return { code: ErrorCode.INTERNAL_SERVER_ERROR, text: 'Warden could not record this decision; nothing changed.' };
  const words: Partial<Record<ErrorCode, string>> = {
    FORBIDDEN: 'You may not decide this',
    CONFLICT: 'Already decided',
    NOT_FOUND: 'Warden has no such action',
    BAD_USER_INPUT: 'Warden refused this decision',
    UNAVAILABLE: 'Warden cannot reach its workflows right now; nothing was decided. Try again shortly',
  };
  return { code: err.code, text: `${words[err.code] ?? 'Warden refused this decision'}: ${err.message}` };
}

export function createSlackInteractions(settings: SlackSettings, deps: SlackInteractionDeps) {
  const now = settings.now ?? Date.now;
  const seen = new SeenSignatures();
  const rules = { responseOrigins: settings.responseOrigins ?? [SLACK_RESPONSE_ORIGIN], teamId: settings.teamId };

  const audited = (code: string, message: string, actor: AuditInput['actor'], operation: string) =>
    deps.audit
      .record({
        kind: 'access.denied',
        agentId: 'warden',
        actor,
        message: `A Slack callback was refused (${code}): ${message}`.slice(0, 1000),
        operation,
        code,
      })
      .catch((err) => console.warn(`slack: a refusal could not be audited: ${(err as Error).message}`));

  /** Posts to the click's response_url; Slack's answer is logged, never the URL (it lets anyone post there). */
  const respond = async (click: SlackClick, body: Record<string, unknown>): Promise<void> => {
    try {
      const res = await fetch(click.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
      });
      if (!res.ok) console.warn(`slack: ${new URL(click.responseUrl).host} answered HTTP ${res.status} to an outcome`);
    } catch (err) {
      console.warn(`slack: the outcome could not be posted to ${new URL(click.responseUrl).host}: ${String(err)}`);
    }
  };

  const tellClicker = (click: SlackClick, code: string, text: string) =>
    respond(click, {
      response_type: 'ephemeral',
      replace_original: false,
      text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: slackEscape(text).slice(0, 3000) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `Warden · ${code}` }] },
      ],
    });

  /** The decision, after the acknowledgement: the same call the console's buttons make. */
  const decide = async (click: SlackClick, person: Person): Promise<void> => {
    const approve = click.actionType === SLACK_APPROVE;
    let action: ActionRecord;
    try {
      action = approve
        ? await deps.actionCommands.approve(person.email, click.actionId, 'Approved in Slack.')
        : await deps.actionCommands.deny(person.email, click.actionId, 'Denied in Slack.');
    } catch (err) {
      if (!(err instanceof WardenError)) console.error('slack: a decision failed:', err);
      const { code, text } = refusalWords(err);
      await audited(code, text, { kind: 'human', id: person.email }, `slack:${click.actionType}`);
      return tellClicker(click, code, text);
    }
    const who = `${slackEscape(person.displayName)} (${slackEscape(person.email)})`;
    const link = `<${actionPageUrl(settings.publicUrl, action.id)}|Open in Warden>`;
    if (!FINAL_STATUSES.includes(action.status)) {
      // A vote towards a quorum: the buttons stay for the other approvers.
      return tellClicker(
        click,
        action.status,
        `Your approval is recorded; action ${action.id} still waits for more approvers.`,
      );
    }
    const approvals = action.approval?.votes?.filter((v) => v.decision === 'APPROVE').length ?? 1;
    const outcome =
      action.status === 'APPROVED'
        ? `:white_check_mark: *Approved* ${approvals > 1 ? `(${approvals} approvals, the last by ${who})` : `by ${who}`}. ${link}`
        : action.status === 'DENIED'
          ? `:no_entry: *Denied* by ${who}. ${link}`
          : `*${action.status}*. ${link}`;
    await respond(click, { replace_original: true, ...decidedMessage(click.messageBlocks, outcome, action.status) });
  };

  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!settings.signingSecret)
      return sendJson(res, 404, {
        error: 'not_found',
        message: 'Slack callbacks are off: WARDEN_SLACK_SIGNING_SECRET is not set.',
      });
    const operation = `${req.method} ${SLACK_INTERACTIONS_PATH}`;
    let actor: AuditInput['actor'] = { kind: 'system', id: 'unverified' };
    let click: SlackClick;
    try {
      if (req.method !== 'POST') throw new SlackRefusal(405, 'method_not_allowed', 'Use POST.');
      const raw = await readRaw(req);
      const timestamp = String(req.headers['x-slack-request-timestamp'] ?? '');
      const signature = String(req.headers['x-slack-signature'] ?? '');
      if (!/^\d{1,12}$/.test(timestamp) || !signature)
        throw new SlackRefusal(
          401,
          'missing_signature',
          'X-Slack-Signature and X-Slack-Request-Timestamp are required.',
        );
      const nowMs = now();
      if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_WINDOW_SECONDS)
        throw new SlackRefusal(401, 'stale_request', 'The request timestamp is more than 5 minutes from now.');
      if (!sameSignature(signature, slackSignature(settings.signingSecret, timestamp, raw)))
        throw new SlackRefusal(401, 'bad_signature', 'The request is not signed with the Slack app’s signing secret.');
      if (!seen.admit(signature, nowMs))
        throw new SlackRefusal(401, 'replayed_request', 'This request was already received.');
      actor = { kind: 'system', id: 'slack' }; // signed by Slack from here on
      click = parseClick(String(req.headers['content-type'] ?? ''), raw.toString('utf8'), rules);
    } catch (err) {
      if (!(err instanceof SlackRefusal)) throw err;
      sendJson(res, err.status, { error: err.code, message: err.message }); // answered before the audit
      return audited(err.code, err.message, actor, operation);
    }
    // Slack's 3 seconds: acknowledged before the lookup, the decision and their audit records.
    sendJson(res, 200, { ok: true });
    if (click.actionType === SLACK_OPEN) return; // the link button
    await afterAcknowledgement(click, operation);
  };

  /** Who clicked, then the decision; every outcome, refusals included, goes to the click's response_url. */
  async function afterAcknowledgement(click: SlackClick, operation: string): Promise<void> {
    let person: Person | null;
    try {
      person = await deps.people.findBySlackUserId(click.slackUserId);
    } catch (err) {
      if (!(err instanceof WardenError)) console.error('slack: the Slack user could not be looked up:', err);
      const { code, text } = refusalWords(err);
      return tellClicker(click, code, text);
    }
    if (!person) {
      const message = `Slack user ${click.slackUserId} is not linked to exactly one person in Warden's directory; an admin links them with upsertPerson(slackUserId).`;
      await tellClicker(
        click,
        'unknown_slack_user',
        `Your Slack account is not linked to a person in Warden: ${message}`,
      );
      return audited('unknown_slack_user', message, { kind: 'system', id: `slack:${click.slackUserId}` }, operation);
    }
    await decide(click, person);
  }
}
