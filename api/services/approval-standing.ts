/**
 * Where a person stands on a held action, read as a decision would read it: their roles now, the agent's
 * owner now, whose approvals they hold now (delegations), against the action's approval route and the votes
 * cast so far. What the console shows (may I decide? why not?) and which held actions wait for whom; the
 * action's workflow checks the same rules (domain/approval-policy.ts) on the signed statement.
 */
import type { ActionApproval } from '../../domain/actions.js';
import { openDeciders, standingOf, voteRefusal, type Delegator, type Standing } from '../../domain/approval-policy.js';
import type { HumanPrincipal } from '../auth/principal.js';
import type { AgentAccess } from './agent-access.js';
import type { PeopleDirectory } from './people-directory.js';

export interface HeldAction {
  id: string;
  agentId: string;
  status: string;
  approval: ActionApproval | null;
}

export interface ViewerDecision {
  canDecide: boolean;
  /** Why not, or in which capacity they would decide. */
  note: string | null;
}

export class ApprovalStanding {
  constructor(
    private readonly access: AgentAccess,
    private readonly people: PeopleDirectory,
  ) {}

  /** A request's principal, and its view (kept as long as the request's principal object lives). */
  private readonly views = new WeakMap<HumanPrincipal, ViewerStanding>();

  /**
   * One person's view for one request: whose approvals they hold now is read once (not once per action of
   * a list), each agent's owner as it is asked.
   */
  forViewer(viewer: HumanPrincipal): ViewerStanding {
    let view = this.views.get(viewer);
    if (!view) {
      view = new ViewerStanding(viewer, this.people.delegatorsOf(viewer.email), this.access);
      this.views.set(viewer, view);
    }
    return view;
  }
}

export class ViewerStanding {
  private readonly owners = new Map<string, Promise<string | null>>();

  constructor(
    private readonly viewer: HumanPrincipal,
    private readonly delegators: Promise<Delegator[]>,
    private readonly access: AgentAccess,
  ) {
    delegators.catch(() => {}); // awaited by each use
  }

  /** The person's roles, the agent's owner and the person's delegators, now. */
  async on(agentId: string): Promise<Standing> {
    if (!this.owners.has(agentId)) this.owners.set(agentId, this.access.recentOwnerOf(agentId));
    const [owner, delegators] = await Promise.all([this.owners.get(agentId)!, this.delegators]);
    return standingOf({ email: this.viewer.email, roles: this.viewer.roles, delegators }, owner);
  }

  async decision(action: HeldAction): Promise<ViewerDecision> {
    if (action.status !== 'PENDING_APPROVAL' || !action.approval)
      return { canDecide: false, note: `This action is ${action.status}: there is nothing to decide.` };
    const { route, level, votes } = action.approval;
    const standing = await this.on(action.agentId);
    // An approval is the stricter vote (it may have to complete the quorum); a denial needs only a seat.
    const deny = voteRefusal(route, level, votes, standing, this.viewer.email, 'DENY');
    if (deny) return { canDecide: false, note: deny.message };
    const approve = voteRefusal(route, level, votes, standing, this.viewer.email, 'APPROVE');
    const as = standing.capacities.filter((c) => openDeciders(route, level).includes(c));
    const holding = standing.onBehalfOf.length ? ` (holding the approvals of ${standing.onBehalfOf.join(', ')})` : '';
    return {
      canDecide: true,
      note: approve ? `You may deny. ${approve.message}` : `You decide as ${as.join(', ')}${holding}.`,
    };
  }

  /** Whether the person may vote on the action now: what their pending approvals list. */
  async waitsFor(action: HeldAction): Promise<boolean> {
    if (action.status !== 'PENDING_APPROVAL' || !action.approval) return false;
    const { route, level, votes } = action.approval;
    return voteRefusal(route, level, votes, await this.on(action.agentId), this.viewer.email, 'DENY') === null;
  }

  /** Whether the person is named anywhere in the action's route (now or once it escalates): may read it. */
  async isNamedIn(action: HeldAction): Promise<boolean> {
    if (!action.approval) return false;
    const standing = await this.on(action.agentId);
    return action.approval.route.tiers.some((t) => t.deciders.some((d) => standing.capacities.includes(d)));
  }
}
