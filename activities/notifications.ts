/**
 * Delivers notifications: people-facing ones to the configured webhook (plain JSON, or a Slack-compatible
 * body; one about a held action links to its page, and in Slack carries Approve/Deny buttons), and CAEP
 * `session-revoked` Security Event Tokens pushed to Shared Signals receivers (RFC 8935).
 * Failures throw, so Temporal retries with backoff; the workflow's outbox keeps the message meanwhile.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { NotificationSettings } from '../config/config.js';
import { actionPageUrl, type Notification } from '../domain/notifications.js';
import { slackMessage } from '../domain/slack.js';
import { mintSessionRevoked } from '../tokens/security-events.js';
import type { SigningKeys } from '../services/signing-keys.js';
import { failpoint } from '../temporal/failpoints.js';

const TIMEOUT_MS = 10_000;

/** The plain JSON body: the notification, and for a held action its id and the page where it is decided. */
export function jsonBody(n: Notification, publicUrl: string): Record<string, unknown> {
  return {
    type: `warden.${n.kind}`,
    ...n,
    ...(n.actionId ? { actionId: n.actionId, link: actionPageUrl(publicUrl, n.actionId) } : {}),
  };
}

async function post(url: string, contentType: string, body: string, okStatuses: number[]): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (okStatuses.includes(res.status) || res.ok) return;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw ApplicationFailure.nonRetryable(
      `${new URL(url).host} refused the notification: HTTP ${res.status}`,
      'NotificationRefused',
    );
  }
  throw new Error(`${new URL(url).host} answered HTTP ${res.status}`);
}

export function createNotificationActivities(deps: {
  settings: NotificationSettings;
  signingKeys: SigningKeys;
  /** Warden's public URL: links in notifications point at its console. */
  publicUrl: string;
  /** The addresses of the people with these roles (a tier of deciders named by role). */
  membersOf: (roles: string[]) => Promise<string[]>;
}) {
  return {
    async deliverNotification(n: Notification): Promise<void> {
      failpoint('notification.sending');
      if (n.kind === 'session-revoked') {
        if (deps.settings.ssfReceivers.length === 0) return;
        const key = await deps.signingKeys.current();
        for (const receiver of deps.settings.ssfReceivers) {
          const set = await mintSessionRevoked({
            key,
            issuer: deps.signingKeys.issuer,
            audience: receiver,
            agentId: n.agentId,
            reason: n.text,
            eventTimestamp: new Date(n.at),
          });
          await post(receiver, 'application/secevent+jwt', set, [202]);
        }
        return;
      }
      if (!deps.settings.webhookUrl) return;
      if (n.deciders?.length) n = { ...n, to: [...new Set([...n.to, ...(await deps.membersOf(n.deciders))])] };
      const body =
        deps.settings.webhookFormat === 'slack' ? slackMessage(n, deps.publicUrl) : jsonBody(n, deps.publicUrl);
      await post(deps.settings.webhookUrl, 'application/json', JSON.stringify(body), []);
    },
  };
}
