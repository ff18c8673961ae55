/** Notifications Warden sends to people (agent owners, security) and to security tooling. */
export interface Notification {
  /**
   * `agent`: a message about an agent for its owner; `security`: an alert for the security team;
   * `session-revoked`: a CAEP event for Shared Signals receivers.
   */
  kind: 'agent' | 'security' | 'session-revoked';
  agentId: string;
  /** Email addresses of the people concerned (empty for machine receivers). */
  to: string[];
  subject: string;
  text: string;
  at: string;
  /**
   * A held action this notification asks someone to decide: receivers get a link to its page in the console
   * (`<public URL>/console/actions/<id>`) and, in the Slack-compatible format, Approve/Deny buttons.
   */
  actionId?: string;
  /**
   * For a held action: who may decide it now, as its route names them (`owner`, roles, addresses). The
   * notification activity adds the people with those roles to `to`, as the directory holds them when it sends.
   */
  deciders?: string[];
}

/** Where a person decides a held action: its page in Warden's console. */
export function actionPageUrl(publicUrl: string, actionId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/console/actions/${encodeURIComponent(actionId)}`;
}
