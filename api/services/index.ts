/**
 * The service layer of one API process, wired from its configuration: what GraphQL resolvers, the OAuth
 * endpoints, the gateway and the MCP endpoint call. Knows nothing of HTTP or GraphQL.
 */
import type { Client } from '@temporalio/client';
import { loadApprovalPolicy } from '../approval-policy-file.js';
import type { WardenConfig } from '../../config/config.js';
import { Commands } from '../../services/commands.js';
import { SigningKeys } from '../../services/signing-keys.js';
import { vaultKeyRing } from '../../vault/key-rings.js';
import type { Services } from '../context.js';
import { UpstreamCredentials } from '../mcp/credentials.js';
import { McpUpstreams } from '../mcp/upstream.js';
import { ActionCommands } from './action-commands.js';
import { ActionDirectory } from './action-directory.js';
import { AgentAccess } from './agent-access.js';
import { AgentCommands } from './agent-commands.js';
import { AgentDirectory } from './agent-directory.js';
import { ApprovalStanding } from './approval-standing.js';
import { DiscoveryService } from './discovery.js';
import { PeerStatistics } from './peer-stats.js';
import { PeopleDirectory } from './people-directory.js';
import { ToolRegistry } from './tool-registry.js';

export function createServices(client: Client, config: WardenConfig): Services {
  const vault = vaultKeyRing(config);
  const signingKeys = new SigningKeys(client, {
    taskQueue: config.temporal.taskQueue,
    rotationIntervalMs: config.credentials.signingKeyRotationMs,
    issuer: config.credentials.issuer,
    vault,
  });
  const commands = new Commands(client, signingKeys);
  const people = new PeopleDirectory(client, commands, {
    taskQueue: config.temporal.taskQueue,
    rolesCacheMs: config.credentials.revocationCacheMs,
  });
  const upstreamCredentials = new UpstreamCredentials(vault, signingKeys, config.credentials);
  const mcpUpstreams = new McpUpstreams({
    timeoutMs: config.enforcement.mcpUpstreamTimeoutMs,
    clientInfo: { name: 'warden-mcp-gateway', version: '0.1.0' },
  });
  const tools = new ToolRegistry(client, commands, vault, {
    reservedResources: [config.credentials.apiAudience, config.credentials.issuer],
    gatewayBase: `${config.api.publicUrl}/gateway`,
    publicUrl: config.api.publicUrl,
    listUpstream: async (tool) => mcpUpstreams.listTools(tool, await upstreamCredentials.forListing(tool)),
    taskQueue: config.temporal.taskQueue,
    vaultRotationMs: config.credentials.vaultRotationMs,
    vaultGraceMs: config.credentials.vaultGraceMs,
  });
  const agentAccess = new AgentAccess(client, config.credentials.revocationCacheMs);
  const agents = new AgentDirectory(client, agentAccess, config.temporal.taskQueue);
  const agentCommands = new AgentCommands(client, commands, agents, agentAccess, people, tools, vault, {
    taskQueue: config.temporal.taskQueue,
    continueAsNewAfterEvents: config.continueAsNewAfterEvents,
    credentialPolicy: {
      maxAgeMs: config.credentials.agentCredentialMaxAgeMs,
      rotateAtFraction: config.credentials.agentCredentialRotateAt,
    },
  });
  const actions = new ActionDirectory(client, agents, config.temporal.taskQueue);
  const actionCommands = new ActionCommands(
    client,
    commands,
    people,
    actions,
    agents,
    agentAccess,
    tools,
    {
      taskQueue: config.temporal.taskQueue,
      // Read and checked here, at start: a policy with a mistake stops the API with the line it is on.
      approvalPolicy: loadApprovalPolicy(config.enforcement.approvalPolicyFile, config.enforcement.approvalTimeoutMs),
      resumeOnApprove: config.enforcement.resumeOnApprove,
    },
    { keys: signingKeys, issuer: config.credentials.issuer, ttlSeconds: config.credentials.grantTtlSeconds },
    new PeerStatistics(client, config.temporal.taskQueue),
  );
  const discovery = new DiscoveryService(client, commands, config);
  return {
    people,
    agents,
    agentCommands,
    agentAccess,
    tools,
    signingKeys,
    commands,
    actions,
    actionCommands,
    approvalStanding: new ApprovalStanding(agentAccess, people),
    discovery,
    mcpUpstreams,
    upstreamCredentials,
  };
}
