/**
 * The credential Warden presents to an MCP upstream: nothing, the tool's vaulted secret in its header, or
 * a grant Warden signs for the upstream's audience (the tool's `resource`) — for a call, the grant of the
 * decision that allowed it; for listing tools, a short grant in Warden's own name. Never the agent's token.
 */
import type { CredentialSettings } from '../../config/config.js';
import type { ActionGrant } from '../../domain/actions.js';
import { toolSecretAad, type ToolState } from '../../domain/tools.js';
import { mintGrant } from '../../tokens/grants.js';
import { openSecret, type KeyRing, type SealedSecret } from '../../vault/envelope.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import type { UpstreamCredential } from './upstream.js';

/** The subject of the grants Warden signs for itself (listing an upstream's tools). */
export const WARDEN_SUBJECT = 'warden';
const LISTING_GRANT_TTL_S = 60;

export class UpstreamCredentials {
  constructor(
    private readonly vault: KeyRing,
    private readonly keys: SigningKeys,
    private readonly settings: Pick<CredentialSettings, 'issuer'>,
  ) {}

  private secret(tool: ToolState): UpstreamCredential {
    if (!tool.vault) throw new Error(`tool ${tool.name} has no vaulted secret`);
    const secret = openSecret(this.vault, tool.vault.current.sealed as SealedSecret, toolSecretAad(tool.name));
    return { header: tool.secretHeader, value: `${tool.secretPrefix}${secret}` };
  }

  async forListing(tool: ToolState): Promise<UpstreamCredential | null> {
    switch (tool.mcp?.upstreamAuth) {
      case 'VAULTED_SECRET':
        return this.secret(tool);
      case 'WARDEN_GRANT': {
        const minted = await mintGrant({
          key: await this.keys.current(),
          issuer: this.settings.issuer,
          resource: tool.resource,
          agentId: WARDEN_SUBJECT,
          operations: ['tools/list'],
          ttlSeconds: LISTING_GRANT_TTL_S,
        });
        return { header: 'Authorization', value: `Bearer ${minted.token}` };
      }
      default:
        return null;
    }
  }

  /** For one decided call: the decision's grant (WARDEN_GRANT), which names the agent and the operation. */
  forCall(tool: ToolState, grant: ActionGrant | null): UpstreamCredential | null {
    switch (tool.mcp?.upstreamAuth) {
      case 'VAULTED_SECRET':
        return this.secret(tool);
      case 'WARDEN_GRANT':
        if (!grant) throw new Error(`the decision for ${tool.name} carries no grant`);
        return { header: 'Authorization', value: `Bearer ${grant.token}` };
      default:
        return null;
    }
  }
}
