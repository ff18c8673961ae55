/**
 * Warden's notifications as Slack messages (Block Kit), and the buttons a held action's message carries:
 * Approve and Deny, whose clicks Slack sends to Warden's interactivity endpoint (api/integrations/slack.ts),
 * and a link to the action's page in the console. Pure: the worker builds these, the API reads clicks back.
 */
import { actionPageUrl, type Notification } from './notifications.js';

/** `action_id`s of the buttons; each button's `value` is the action's id. */
export const SLACK_APPROVE = 'warden.approve';
export const SLACK_DENY = 'warden.deny';
/** The link button: Slack opens the page and still tells the endpoint, which only acknowledges it. */
export const SLACK_OPEN = 'warden.open';
/** The block holding the buttons (replaced by the outcome once the action is decided). */
export const SLACK_DECISION_BLOCK = 'warden.decision';

export type SlackBlock = Record<string, unknown>;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const plain = (text: string) => ({ type: 'plain_text', text: text.slice(0, 75) });

/** Slack's mrkdwn treats &, < and > as markup: a subject or reason from an agent must not become a link. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The buttons of a held action: Approve, Deny (confirmed first) and Open in Warden. */
export function decisionButtons(actionId: string, publicUrl: string): SlackBlock {
  return {
    type: 'actions',
    block_id: SLACK_DECISION_BLOCK,
    elements: [
      { type: 'button', action_id: SLACK_APPROVE, text: plain('Approve'), style: 'primary', value: actionId },
      {
        type: 'button',
        action_id: SLACK_DENY,
        text: plain('Deny'),
        style: 'danger',
        value: actionId,
        confirm: {
          title: plain('Deny this action?'),
          text: { type: 'plain_text', text: 'The agent is refused and the action cannot be approved afterwards.' },
          confirm: plain('Deny'),
          deny: plain('Cancel'),
          style: 'danger',
        },
      },
      {
        type: 'button',
        action_id: SLACK_OPEN,
        text: plain('Open in Warden'),
        url: actionPageUrl(publicUrl, actionId),
      },
    ],
  };
}

/** A notification as a Slack message; one about a held action carries its buttons and its page's link. */
export function slackMessage(n: Notification, publicUrl: string): SlackMessage {
  const link = n.actionId ? actionPageUrl(publicUrl, n.actionId) : null;
  return {
    text: `${n.subject}: ${n.text}${link ? ` ${link}` : ''}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: n.subject.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(n.text).slice(0, 3000) } },
      ...(n.actionId ? [decisionButtons(n.actionId, publicUrl)] : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Warden · ${n.kind}${n.agentId ? ` · agent ${slackEscape(n.agentId)}` : ''}${n.actionId ? ` · action ${n.actionId}` : ''} · ${n.at}`,
          },
        ],
      },
    ],
  };
}

/** The message after a decision: the original's blocks without the buttons, and a line saying what happened. */
export function decidedMessage(original: SlackBlock[] | null, outcome: string, fallback: string): SlackMessage {
  const kept = (original ?? []).filter((b) => b.block_id !== SLACK_DECISION_BLOCK);
  return {
    text: `${fallback} ${outcome}`.trim(),
    blocks: [...kept, { type: 'section', text: { type: 'mrkdwn', text: outcome.slice(0, 3000) } }],
  };
}
