/** Tool: something agents connect to (an MCP server, a SaaS API). Admins register tools; grants are for one tool. */
import { z } from 'zod';
import { AUTH_MODES, SENSITIVITIES, type ToolOperation as ToolOperationModel } from '../../domain/tools.js';
import { commanderOf } from '../auth/principal.js';
import { builder } from '../builder.js';
import { viewOf, type ToolView } from '../services/tool-registry.js';

const Sensitivity = builder.enumType('Sensitivity', { values: SENSITIVITIES });
const AuthMode = builder.enumType('ToolAuthMode', {
  description:
    'WARDEN_JWT: the tool verifies grants against the JWKS. VAULTED_SECRET: agents call it through the gateway, which injects the vaulted secret.',
  values: AUTH_MODES,
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
      description: 'VAULTED_SECRET: where the gateway forwards requests.',
      validate: z.string().max(2048),
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
}));
