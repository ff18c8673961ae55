/** The GraphQL the console sends, and the shapes it reads back (schema.graphql is the contract). */

export type Role = 'ADMIN' | 'APPROVER' | 'SECURITY';

export interface Viewer {
  email: string | null;
  roles: Role[];
  person: { displayName: string } | null;
}

export interface Owner {
  email: string;
  displayName: string;
}

export interface InboxItem {
  id: string;
  tool: string;
  operation: string;
  sensitivity: string;
  volume: number;
  amount: number;
  status: string;
  requestedAt: string;
  risk: { score: number } | null;
  approval: { deadline: string } | null;
  agent: { id: string; name: string; owner: Owner | null };
}

/*
 * Fields are spelled out rather than spread from fragments, and lists asked for in small pages: the API's
 * cost limit (graphql-armor) weighs fragments, nesting and `first` heavily.
 */
const INBOX_ITEM = `id tool operation sensitivity volume amount status requestedAt
  risk { score }
  approval { deadline }
  agent { id name owner { email displayName } }`;

export const VIEWER = `query Viewer { viewer { email roles person { displayName } } }`;

export const INBOX = `query Inbox {
  pendingApprovals(first: 25) { edges { node { ${INBOX_ITEM} } } }
}`;

export const APPROVAL_REQUESTED = `subscription ApprovalRequested { approvalRequested { ${INBOX_ITEM} } }`;

export interface ApprovalTier {
  level: number;
  deciders: string[];
  opensAt: string;
  open: boolean;
}

export interface ApprovalVote {
  by: string;
  capacities: string[];
  onBehalfOf: string[];
  decision: string;
  comment: string | null;
  at: string;
}

export interface Approval {
  deadline: string;
  decidedBy: string | null;
  decision: string | null;
  comment: string | null;
  decidedAt: string | null;
  /** The routing policy's rule ("default" when none matched), its quorum, tiers and the votes so far. */
  rule: string;
  approvalsRequired: number;
  mustInclude: string[];
  ownerMayApproveAlone: boolean;
  tiers: ApprovalTier[];
  escalationLevel: number;
  votes: ApprovalVote[];
  waitingFor: string;
}

export interface UsualRange {
  metric: 'AMOUNT' | 'VOLUME';
  value: number;
  typical: number;
  low: number;
  high: number;
  samples: number;
}

export interface RiskReason {
  signal: string;
  contribution: number;
  detail: string;
}

export interface ActionDetails {
  id: string;
  tool: string;
  operation: string;
  sensitivity: string;
  resourceId: string | null;
  volume: number;
  amount: number;
  justification: string;
  context: Record<string, string>;
  status: string;
  decision: string | null;
  contained: boolean;
  requestedAt: string;
  decidedAt: string | null;
  workflowId: string;
  mcpCall: { mcpTool: string; argumentsSha256: string } | null;
  risk: { score: number; reasons: RiskReason[] } | null;
  approval: Approval | null;
  usualRange: UsualRange | null;
  viewerCanDecide: boolean;
  viewerDecisionNote: string | null;
  agent: { id: string; name: string; platform: string; status: string; statusReason: string; owner: Owner | null };
}

export interface RecentAction {
  id: string;
  tool: string;
  operation: string;
  volume: number;
  amount: number;
  status: string;
  decision: string | null;
  requestedAt: string;
  decidedAt: string | null;
}

const RECENT_ACTION = `id tool operation volume amount status decision requestedAt decidedAt`;

export const ACTION = `query Action($id: ID!) {
  actionRequest(id: $id) {
    id tool operation sensitivity resourceId volume amount justification context status decision contained
    requestedAt decidedAt workflowId viewerCanDecide viewerDecisionNote
    mcpCall { mcpTool argumentsSha256 }
    risk { score reasons { signal contribution detail } }
    approval {
      deadline decidedBy decision comment decidedAt
      rule approvalsRequired mustInclude ownerMayApproveAlone escalationLevel waitingFor
      tiers { level deciders opensAt open }
      votes { by capacities onBehalfOf decision comment at }
    }
    usualRange { metric value typical low high samples }
    agent { id name platform status statusReason owner { email displayName } }
  }
}`;

export const RECENT_ACTIONS = `query RecentActions($agentId: ID!) {
  actionRequests(filter: { agentId: $agentId }, first: 20) { edges { node { ${RECENT_ACTION} } } }
}`;

/** What the action's page follows live: the status, the escalation level and the votes. */
export interface ActionProgress {
  status: string;
  approval: { escalationLevel: number; votes: { by: string }[] } | null;
}

export const ACTION_DECIDED = `subscription ActionDecided($id: ID!) {
  actionDecided(actionId: $id) { id status approval { escalationLevel votes { by } } }
}`;

export const APPROVE = `mutation Approve($input: ApproveActionInput!) {
  approveAction(input: $input) { action { id status } }
}`;

export const DENY = `mutation Deny($input: DenyActionInput!) {
  denyAction(input: $input) { action { id status } }
}`;

export interface Credential {
  kid: string;
  issuedAt: string;
  expiresAt: string;
  rotationDueAt: string;
}

export interface AgentDetails {
  id: string;
  name: string;
  description: string;
  platform: string;
  status: string;
  statusReason: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedBefore: string | null;
  owner: Owner | null;
  allowedTools: { tool: string; operations: string[] }[];
  credential: Credential | null;
  successorCredential: Credential | null;
  findings: {
    id: string;
    kind: string;
    source: string;
    sourceName: string;
    lastSeen: string;
    count: number;
    host: string | null;
    user: string | null;
    dismissal: { at: string; by: string; reason: string } | null;
  }[];
}

export const AGENT = `query Agent($id: ID!) {
  agent(id: $id) {
    id name description platform status statusReason createdAt lastSeenAt revokedBefore
    owner { email displayName }
    allowedTools { tool operations }
    credential { kid issuedAt expiresAt rotationDueAt }
    successorCredential { kid issuedAt expiresAt rotationDueAt }
    findings { id kind source sourceName lastSeen count host user dismissal { at by reason } }
  }
  actionRequests(filter: { agentId: $id }, first: 20) { edges { node { ${RECENT_ACTION} } } }
}`;

export const SUSPEND = `mutation Suspend($input: SuspendAgentInput!) { suspendAgent(input: $input) { agent { id status } } }`;
export const RESUME = `mutation Resume($input: AgentStatusChangeInput!) { resumeAgent(input: $input) { agent { id status } } }`;

export interface AuditRow {
  id: string;
  seq: number;
  type: string;
  time: string;
  message: string;
  subject: string | null;
}

export const AUDIT = `query Audit($filter: AuditEventFilter, $after: String) {
  auditEvents(filter: $filter, first: 50, after: $after) {
    edges { node { id seq type time message subject } }
    pageInfo { hasNextPage endCursor }
  }
}`;
