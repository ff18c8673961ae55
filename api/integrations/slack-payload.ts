/**
 * Reading a verified Slack interaction: the body is `application/x-www-form-urlencoded` with one `payload`
 * field holding JSON; Warden answers `block_actions` payloads (a button clicked) from its own buttons only,
 * from the configured workspace when one is, with a `response_url` at an allowed origin (Warden posts the
 * outcome there: were the signing secret to leak, any other address would let a forger aim Warden's
 * requests at hosts of their choosing).
 */
import { SLACK_APPROVE, SLACK_DENY, SLACK_OPEN, type SlackBlock } from '../../domain/slack.js';
import { SLACK_USER_ID } from '../../domain/people.js';

/** A refused callback: HTTP status, stable code, and a message for the caller. */
export class SlackRefusal extends Error {
  override readonly name = 'SlackRefusal';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a click must match besides its form. */
export interface ClickRules {
  /** Origins `response_url` may point at (e.g. https://hooks.slack.com). */
  responseOrigins: readonly string[];
  /** The Slack workspace whose clicks are taken; unset = any. */
  teamId?: string;
}

export interface SlackClick {
  actionType: typeof SLACK_APPROVE | typeof SLACK_DENY | typeof SLACK_OPEN;
  /** The held action the button is for (the button's value). */
  actionId: string;
  slackUserId: string;
  responseUrl: string;
  /** The clicked message's blocks, to redraw it without its buttons (null when Slack sent none). */
  messageBlocks: SlackBlock[] | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ACTION_TYPES: readonly string[] = [SLACK_APPROVE, SLACK_DENY, SLACK_OPEN];

const malformed = (message: string) => new SlackRefusal(400, 'malformed_payload', message);

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

export function parseClick(contentType: string, body: string, rules: ClickRules): SlackClick {
  if (contentType.split(';')[0]!.trim().toLowerCase() !== 'application/x-www-form-urlencoded')
    throw malformed('The body must be application/x-www-form-urlencoded with a payload field.');
  const fields = new URLSearchParams(body).getAll('payload');
  if (fields.length !== 1) throw malformed('The body must have exactly one payload field.');
  let payload: Record<string, unknown> | null;
  try {
    payload = record(JSON.parse(fields[0]!));
  } catch {
    payload = null;
  }
  if (!payload) throw malformed('The payload field must be a JSON object.');
  if (payload.type !== 'block_actions')
    throw new SlackRefusal(400, 'unsupported_interaction', 'Warden answers block_actions (its buttons) only.');
  const slackUserId = record(payload.user)?.id;
  if (typeof slackUserId !== 'string' || !SLACK_USER_ID.test(slackUserId))
    throw malformed('The payload names no Slack user (user.id).');
  // The workspace: `team.id`, or on an Enterprise Grid org-wide install (team null) the user's `team_id`.
  const teamId = record(payload.team)?.id ?? record(payload.user)?.team_id;
  if (rules.teamId !== undefined && teamId !== rules.teamId)
    throw new SlackRefusal(
      403,
      'foreign_team',
      `This click comes from another Slack workspace${typeof teamId === 'string' ? ` (${teamId.slice(0, 20)})` : ''} than the one Warden takes clicks from (WARDEN_SLACK_TEAM_ID).`,
    );
  const actions = payload.actions;
  const action = Array.isArray(actions) && actions.length === 1 ? record(actions[0]) : null;
  if (!action) throw malformed('The payload must carry exactly one action.');
  const actionType = action.action_id;
  if (typeof actionType !== 'string' || !ACTION_TYPES.includes(actionType))
    throw new SlackRefusal(400, 'unsupported_interaction', 'This is not one of Warden’s buttons.');
  const actionId = action.value;
  if (actionType !== SLACK_OPEN && (typeof actionId !== 'string' || !UUID.test(actionId)))
    throw malformed('The button’s value must be an action id.');
  const responseUrl = payload.response_url;
  const url = typeof responseUrl === 'string' && URL.canParse(responseUrl) ? new URL(responseUrl) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw malformed('The payload must carry a response_url.');
  if (!rules.responseOrigins.includes(url.origin) || url.username || url.password)
    throw new SlackRefusal(
      400,
      'response_url_not_allowed',
      `The response_url is not at an allowed origin (${rules.responseOrigins.join(', ')}; WARDEN_SLACK_RESPONSE_ORIGINS).`,
    );
  const blocks = record(payload.message)?.blocks;
  return {
    actionType: actionType as SlackClick['actionType'],
    actionId: typeof actionId === 'string' ? actionId : '',
    slackUserId,
    responseUrl: url.href,
    messageBlocks: Array.isArray(blocks) ? (blocks.filter((b) => record(b)) as SlackBlock[]) : null,
  };
}
