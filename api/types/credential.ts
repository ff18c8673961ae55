/** An agent's credential as the API shows it: its public facts, and a private key only the once Warden made it. */
import type { AgentCredential as AgentCredentialModel, Jwk } from '../../domain/credentials.js';
import { builder } from '../builder.js';
import type { RegisteredAgent } from '../services/agent-commands.js';

export const AgentCredential = builder
  .objectRef<Pick<AgentCredentialModel, 'kid' | 'issuedAt' | 'expiresAt' | 'rotationDueAt'>>('AgentCredential')
  .implement({
    fields: (t) => ({
      kid: t.exposeString('kid', {
        description: 'RFC 7638 thumbprint of the public key; the `kid` of client assertions.',
      }),
      issuedAt: t.field({ type: 'DateTime', resolve: (c) => c.issuedAt }),
      expiresAt: t.field({ type: 'DateTime', resolve: (c) => c.expiresAt }),
      rotationDueAt: t.field({ type: 'DateTime', resolve: (c) => c.rotationDueAt }),
    }),
  });

export const IssuedCredential = builder.objectRef<RegisteredAgent['credential']>('IssuedCredential').implement({
  description: 'How the agent authenticates: its client id, and its private key when Warden generated it (shown once).',
  fields: (t) => ({
    clientId: t.exposeString('clientId'),
    kid: t.exposeString('kid'),
    privateJwk: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Only when Warden generated the key; never shown again.',
      resolve: (c) => c.privateJwk,
    }),
    expiresAt: t.field({ type: 'DateTime', resolve: (c) => c.expiresAt }),
  }),
});

export const CollectedCredential = builder
  .objectRef<{ kid: string; privateJwk: Jwk; expiresAt: string }>('CollectedCredential')
  .implement({
    fields: (t) => ({
      kid: t.exposeString('kid'),
      privateJwk: t.field({ type: 'JSON', resolve: (c) => c.privateJwk }),
      expiresAt: t.field({ type: 'DateTime', resolve: (c) => c.expiresAt }),
    }),
  });
