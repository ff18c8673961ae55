/**
 * How common each tool and operation is among running agents of one platform (novelty weighs rarer
 * things more): gathered from up to 200 agents' baselines of this deployment and cached per process. The
 * API hands them to a sensitive action's workflow with its input.
 */
import type { Client } from '@temporalio/client';
import { peerStatsOf } from '../../risk/baseline.js';
import type { RiskProfile } from '../../risk/assess-action.js';
import type { PeerStats } from '../../risk/types.js';
import { getRiskProfileQuery } from '../../workflows/agent/messages.js';
import { deploymentClauses, visibilityString } from '../../temporal/visibility.js';

/** Peer statistics change slowly; each process rebuilds a platform's at most this often. */
const PEERS_CACHE_MS = 60_000;
const MAX_PEERS = 200;
const PEER_QUERY_MS = 500;

export class PeerStatistics {
  /** Per platform: the last statistics gathered (or the first gathering), when, and whether a new one runs. */
  private readonly platforms = new Map<
    string,
    { stats: Promise<PeerStats | undefined>; at: number; gathering: boolean }
  >();

  private readonly cacheMs: number;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    options: { cacheMs?: number } = {},
  ) {
    this.cacheMs = options.cacheMs ?? PEERS_CACHE_MS;
  }

  /**
   * A platform's statistics. Statistics a minute old still refine novelty well: only a platform's first
   * decision waits for them; later ones get the last gathered while new ones are gathered, and a
   * gathering that fails keeps them. Undefined when too few peers answer (or none could be read).
   */
  of(platform: string): Promise<PeerStats | undefined> {
    const hit = this.platforms.get(platform);
    if (!hit) {
      const stats = this.gather(platform);
      this.platforms.set(platform, { stats, at: Date.now(), gathering: false });
      return stats;
    }
    if (Date.now() - hit.at >= this.cacheMs && !hit.gathering) {
      hit.gathering = true;
      void this.gather(platform).then(async (fresh) => {
        const stats = fresh ?? (await hit.stats);
        this.platforms.set(platform, { stats: Promise.resolve(stats), at: Date.now(), gathering: false });
      });
    }
    return hit.stats;
  }

  private async gather(platform: string): Promise<PeerStats | undefined> {
    try {
      const ids: string[] = [];
      for await (const info of this.client.workflow.list({
        // This deployment's agents only (a namespace may hold several, one task queue each).
        query: [
          ...deploymentClauses('agentLifecycleWorkflow', this.taskQueue),
          `AgentPlatform = ${visibilityString(platform)}`,
        ].join(' AND '),
        pageSize: MAX_PEERS,
      })) {
        ids.push(info.workflowId);
        if (ids.length >= MAX_PEERS) break;
      }
      // A peer busy in its own workflow task answers late; skip it rather than wait.
      const within = <T>(p: Promise<T>) =>
        Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), PEER_QUERY_MS))]);
      const profiles = await Promise.all(
        ids.map((id) => within(this.client.workflow.getHandle(id).query(getRiskProfileQuery)).catch(() => null)),
      );
      const baselines = profiles.filter((p): p is RiskProfile => p !== null).map((p) => p.baseline);
      return baselines.length >= 3 ? peerStatsOf(baselines) : undefined;
    } catch {
      return undefined; // peers only refine novelty; scoring never waits on them failing
    }
  }
}
