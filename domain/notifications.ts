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
}
