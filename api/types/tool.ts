/** Tool: something agents connect to (an MCP server, a SaaS API). Admins register tools; grants are for one tool. */
import { z } from 'zod';
import {
  AUTH_MODES,
  MCP_UPSTREAM_AUTH,
  SENSITIVITIES,
  type McpSettings,
  type PinnedDefinition,
  type QuarantinedDefinition,
  type ToolOperation as ToolOperationModel,
} from '../../domain/tools.js';
import { commanderOf } from '../auth/principal.js';
import { builder } from '../builder.js';
import { badInput } from '../../domain/errors.js';
import type { FindingRecord } from '../../domain/discovery.js';
import { viewOf, type ToolView } from '../services/tool-registry.js';

const Sensitivity = builder.enumType('Sensitivity', { values: SENSITIVITIES });
const AuthMode = builder.enumType('ToolAuthMode', {
  description:
    "WARDEN_JWT: the tool verifies grants against the JWKS. VAULTED_SECRET: agents call it through the gateway, which injects the vaulted secret. MCP: an MCP server agents reach through Warden's MCP endpoint, every tools/call decided.",
  values: AUTH_MODES,
});
const McpUpstreamAuth = builder.enumType('McpUpstreamAuth', {
  description:
    "How Warden authenticates to an MCP upstream: NONE, VAULTED_SECRET (a vaulted secret in a header), or WARDEN_GRANT (a grant Warden signs for the upstream's audience, bound to the call). Never with the agent's token.",
  values: MCP_UPSTREAM_AUTH,
});

const ToolOperation = builder.objectRef<ToolOperationModel>('ToolOperation').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    sensitivity: t.field({ type: Sensitivity, resolve: (o) => o.sensitivity }),
    method: t.string({ nullable: true, resolve: (o) => o.method ?? null }),
    path: t.string({
      nullable: true,
      description: 'Gateway path pattern under the tool (`*` one segment, trailing `**` the rest).',
      resolve: (o) => o.path ?? null,
    }),
    query: t.stringList({
      description: 'Gateway tools: the query parameters this operation accepts (none unless listed).',
      resolve: (o) => o.query ?? [],
    }),
    volumePointer: t.string({
      nullable: true,
      description: "MCP tools: the JSON Pointer to the call's volume (records or items) in its arguments.",
      resolve: (o) => o.volumePointer ?? null,
    }),
    amountPointer: t.string({
      nullable: true,
      description: "MCP tools: the JSON Pointer to the call's amount (money) in its arguments.",
      resolve: (o) => o.amountPointer ?? null,
    }),
    resourcePointer: t.string({
      nullable: true,
      description: 'MCP tools: the JSON Pointer to the resource the call touches.',
      resolve: (o) => o.resourcePointer ?? null,
    }),
  }),
});

const McpPinnedDefinition = builder.objectRef<PinnedDefinition>('McpPinnedDefinition').implement({
  description: 'An MCP tool definition Warden trusts: seen at registration, or accepted by an admin.',
  fields: (t) => ({
    name: t.exposeString('name'),
    sha256: t.exposeString('sha256', { description: 'SHA-256 (base64url) of the canonical JSON of the definition.' }),
    definition: t.field({ type: 'JSON', resolve: (p) => p.definition }),
    pinnedAt: t.field({ type: 'DateTime', resolve: (p) => p.pinnedAt }),
    pinnedBy: t.exposeString('pinnedBy'),
  }),
});

const McpQuarantinedDefinition = builder.objectRef<QuarantinedDefinition>('McpQuarantinedDefinition').implement({
  description:
    'A definition the upstream changed (or a tool it added): hidden from agents and refused until an admin accepts it.',
  fields: (t) => ({
    name: t.exposeString('name'),
    sha256: t.exposeString('sha256'),
    pinnedSha256: t.exposeString('pinnedSha256', { nullable: true }),
    changes: t.exposeStringList('changes', { description: 'What changed: description, inputSchema, … or "new tool".' }),
    definition: t.field({ type: 'JSON', resolve: (q) => q.definition }),
    seenAt: t.field({ type: 'DateTime', resolve: (q) => q.seenAt }),
  }),
});

const McpServerSettings = builder.objectRef<McpSettings>('McpServerSettings').implement({
  fields: (t) => ({
    endpoint: t.exposeString('endpoint', {
      description: "Where agents connect (Streamable HTTP), and their access tokens' audience.",
    }),
    upstreamAuth: t.field({ type: McpUpstreamAuth, resolve: (m) => m.upstreamAuth }),
    pinned: t.field({ type: [McpPinnedDefinition], resolve: (m) => m.pinned }),
    quarantined: t.field({ type: [McpQuarantinedDefinition], resolve: (m) => m.quarantined }),
  }),
});

const ToolVault = builder.objectRef<NonNullable<ToolView['vault']>>('ToolVault').implement({
  description: 'Facts about the vaulted upstream secret — never the secret.',
  fields: (t) => ({
    currentSecretId: t.exposeString('currentSecretId'),
    rotations: t.exposeInt('rotations'),
    rotatedAt: t.field({ type: 'DateTime', resolve: (v) => v.rotatedAt }),
    automaticRotation: t.boolean({ resolve: (v) => v.rotationUrl !== null }),
    lastError: t.exposeString('lastError', { nullable: true }),
  }),
});

export const Tool = builder.objectRef<ToolView>('Tool').implement({
  fields: (t) => ({
    id: t.exposeID('name'),
    name: t.exposeString('name'),
    resource: t.exposeString('resource', { description: 'The resource URI (RFC 8707): the audience of its grants.' }),
    description: t.exposeString('description'),
    operations: t.field({ type: [ToolOperation], resolve: (tool) => tool.operations }),
    authMode: t.field({ type: AuthMode, resolve: (tool) => tool.authMode }),
    gatewayPath: t.string({
      nullable: true,
      resolve: (tool) => (tool.authMode === 'VAULTED_SECRET' ? `/gateway/${tool.name}/` : null),
    }),
    mcp: t.field({
      type: McpServerSettings,
      nullable: true,
      description: 'MCP tools: the endpoint, and the upstream definitions pinned or quarantined.',
      resolve: (tool) => tool.mcp,
    }),
    vault: t.field({
      type: ToolVault,
      nullable: true,
      authScopes: { admin: true, security: true },
      resolve: (tool) => tool.vault,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (tool) => tool.createdAt }),
  }),
});

const ToolOperationInput = builder.inputType('ToolOperationInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().max(64) }),
    sensitivity: t.field({ type: Sensitivity, required: true }),
    method: t.string({
      description: 'Gateway tools: the HTTP method this operation covers.',
      validate: z.string().max(10),
    }),
    path: t.string({
      description: 'Gateway tools: the path pattern this operation covers.',
      validate: z.string().max(256),
    }),
    query: t.stringList({
      description: 'Gateway tools: the query parameters this operation accepts; a request with any other is refused.',
      validate: z.array(z.string().max(64)).max(32),
    }),
    volumePointer: t.string({
      description: "MCP tools: JSON Pointer (RFC 6901) to the call's volume in its arguments, e.g. /limit.",
      validate: z.string().max(256),
    }),
    amountPointer: t.string({
      description: "MCP tools: JSON Pointer to the call's amount in its arguments, e.g. /amount.",
      validate: z.string().max(256),
    }),
    resourcePointer: t.string({
      description: 'MCP tools: JSON Pointer to the resource the call touches, e.g. /account.',
      validate: z.string().max(256),
    }),
  }),
});

const RegisterToolInput = builder.inputType('RegisterToolInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().max(63) }),
    resource: t.string({
      description:
        "The URI the tool is known by: the audience of its grants (RFC 8707). A gateway (VAULTED_SECRET) tool's is its gateway URL; leave it out.",
      validate: z.string().max(2048),
    }),
    description: t.string({ validate: z.string().max(2000) }),
    operations: t.field({ type: [ToolOperationInput], required: true }),
    authMode: t.field({ type: AuthMode, required: true }),
    upstreamUrl: t.string({
      description: 'VAULTED_SECRET: where the gateway forwards requests. MCP: the upstream Streamable HTTP URL.',
      validate: z.string().max(2048),
    }),
    upstreamAuth: t.field({
      type: McpUpstreamAuth,
      description: 'MCP: how Warden authenticates to the upstream.',
    }),
    secretHeader: t.string({
      description: 'VAULTED_SECRET: header the secret goes in (default Authorization).',
      validate: z.string().max(64),
    }),
    secretPrefix: t.string({
      description: 'VAULTED_SECRET: text before the secret (default "Bearer " for Authorization).',
      validate: z.string().max(32),
    }),
    secret: t.string({
      description: 'VAULTED_SECRET: the upstream secret. Vaulted at once; never returned.',
      validate: z.string().max(4096),
    }),
    rotationUrl: t.string({
      description: 'VAULTED_SECRET: the rotation endpoint (docs/operations.md: the vault rotation contract).',
      validate: z.string().max(2048),
    }),
  }),
});

const RegisterToolFromFindingInput = builder.inputType('RegisterToolFromFindingInput', {
  fields: (t) => ({
    findingId: t.id({ required: true, validate: z.string().max(300) }),
    name: t.string({ required: true, validate: z.string().max(63) }),
    description: t.string({ validate: z.string().max(2000) }),
    upstreamUrl: t.string({
      description: "The server's Streamable HTTP URL, when the finding's is redacted or it runs as a local process.",
      validate: z.string().max(2048),
    }),
    upstreamAuth: t.field({ type: McpUpstreamAuth, required: true }),
    secret: t.string({ validate: z.string().max(4096) }),
    secretHeader: t.string({ validate: z.string().max(64) }),
    operations: t.field({ type: [ToolOperationInput] }),
  }),
});

const RegisterToolPayload = builder
  .objectRef<{ tool: ToolView; clientSecret: string }>('RegisterToolPayload')
  .implement({
    fields: (t) => ({
      tool: t.field({ type: Tool, resolve: (p) => p.tool }),
      clientSecret: t.exposeString('clientSecret', {
        description: "The tool's secret for calling introspection (client_id = tool name). Shown once.",
      }),
    }),
  });

builder.queryFields((t) => ({
  tools: t.field({
    type: [Tool],
    description: 'Every registered tool.',
    authScopes: { human: true, agent: true },
    resolve: async (_root, _args, ctx) => (await ctx.services.tools.list()).map(viewOf),
  }),
}));

builder.mutationFields((t) => ({
  registerTool: t.field({
    type: RegisterToolPayload,
    description: 'Registers a tool. Admins only.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RegisterToolInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { tool, clientSecret } = await ctx.services.tools.register(commanderOf(ctx.principal), {
        ...input,
        description: input.description ?? '',
      });
      return { tool: viewOf(tool), clientSecret };
    },
  }),
  rotateToolSecret: t.field({
    type: Tool,
    description: "Rotates a VAULTED_SECRET tool's upstream secret now, through its rotation endpoint. Admins only.",
    authScopes: { admin: true },
    args: { tool: t.arg.string({ required: true, validate: z.string().max(63) }) },
    resolve: async (_root, args, ctx) =>
      viewOf(await ctx.services.tools.rotateSecret(commanderOf(ctx.principal), args.tool)),
  }),
  registerToolFromFinding: t.field({
    type: RegisterToolPayload,
    description:
      'Moves shadow MCP use behind Warden: registers the MCP server a discovery finding names as an MCP tool (its Streamable HTTP URL unless upstreamUrl is given), and marks the finding handled. Admins only.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RegisterToolFromFindingInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const by = commanderOf(ctx.principal);
      const finding = await ctx.services.discovery.finding(input.findingId);
      const upstreamUrl = mcpUpstreamOf(finding, input.upstreamUrl ?? null);
      const { tool, clientSecret } = await ctx.services.tools.register(by, {
        name: input.name,
        description: input.description ?? `${finding.agentName} (MCP server found on ${finding.host ?? 'an endpoint'})`,
        authMode: 'MCP',
        upstreamUrl,
        upstreamAuth: input.upstreamAuth,
        secret: input.secret ?? null,
        secretHeader: input.secretHeader ?? null,
        operations: input.operations ?? [],
      });
      await ctx.services.discovery.dismissFinding(
        by,
        finding.id,
        `Moved behind Warden: registered as MCP tool ${tool.name}; clients connect to ${tool.mcp!.endpoint}.`,
      );
      return { tool: viewOf(tool), clientSecret };
    },
  }),
  acceptToolDefinition: t.field({
    type: Tool,
    description:
      'Trusts an MCP tool definition its upstream changed (quarantined): it is pinned, shown to agents allowed it and callable again. Admins only. Leaving it quarantined keeps it blocked.',
    authScopes: { admin: true },
    args: {
      tool: t.arg.string({ required: true, validate: z.string().max(63) }),
      mcpTool: t.arg.string({ required: true, validate: z.string().max(128) }),
      sha256: t.arg.string({
        required: true,
        description: 'The quarantined definition being accepted (so a later change is not accepted unseen).',
        validate: z.string().max(64),
      }),
      sensitivity: t.arg({ type: Sensitivity, description: 'Defaults to the current one, or from the annotations.' }),
    },
    resolve: async (_root, args, ctx) =>
      viewOf(
        await ctx.services.tools.acceptDefinition(commanderOf(ctx.principal), args.tool, {
          mcpTool: args.mcpTool,
          sha256: args.sha256,
          operation: args.sensitivity ? { sensitivity: args.sensitivity } : null,
        }),
      ),
  }),
}));

/** The Streamable HTTP URL of the MCP server a finding names, or why Warden cannot put it behind the gateway. */
function mcpUpstreamOf(finding: FindingRecord, given: string | null): string {
  if (finding.kind !== 'mcp-server') throw badInput(`Finding ${finding.id} is not an MCP server (${finding.kind}).`);
  if (given) return given;
  const url = finding.evidence.url;
  if (!url)
    throw badInput(
      `${finding.agentName} runs as a local process (${finding.evidence.transport ?? 'stdio'}); Warden's gateway needs its Streamable HTTP URL: give upstreamUrl.`,
    );
  if (/\*|…|REDACTED/i.test(url)) throw badInput(`The finding's URL is redacted (${url}); give upstreamUrl.`);
  return url;
}
