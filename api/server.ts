/**
 * The API process's HTTP server: GraphQL at /graphql (graphql-yoga), the OAuth endpoints and discovery
 * documents, the gateway for VAULTED_SECRET tools, the codec server for the Temporal UI, /healthz and /readyz
 * for load balancers, and /metrics for Prometheus.
 * Stateless but for a small audit spool in its data folder: any number of these can run against one Temporal cluster.
 */
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { ServiceError, type Client } from '@temporalio/client';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { WardenConfig } from '../config/config.js';
import { codecKeyRing } from '../vault/key-rings.js';
import { ErrorCode, WardenError } from '../domain/errors.js';
import { createPayloadCodec } from '../vault/payload-codec.js';
import { TokenError } from '../tokens/errors.js';
import { AgentTokens } from './auth/agent-tokens.js';
import { createHumanTokenVerifier, type HumanTokenVerifier } from './auth/human-tokens.js';
import { effectiveRoles, type HumanPrincipal, type Principal } from './auth/principal.js';
import { createCodecHandler } from './codec-server.js';
import { createCodecSessions } from './codec-session.js';
import type { Services, WardenContext } from './context.js';
import { createServices } from './services/index.js';
import { maskError, toGraphQLError } from './errors.js';
import { createGateway } from './gateway.js';
import { createMcpEndpoint } from './mcp/endpoint.js';
import { sendJson } from './oauth/http.js';
import { createGraphiQL } from './web/graphiql.js';
import { createSlackInteractions, SLACK_INTERACTIONS_PATH, slackSettings } from './integrations/slack.js';
import { createIntrospectionEndpoint } from './oauth/introspection.js';
import {
  authorizationServerMetadata,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
} from './oauth/metadata.js';
import { createRevocationEndpoint } from './oauth/revocation.js';
import { createTokenEndpoint } from './oauth/token-endpoint.js';
import { createClientAuthentication } from './oauth/client-authentication.js';
import { schema } from './schema.js';
import { createHealthEndpoints } from '../observability/health.js';
import { apiReadiness } from './health.js';
import { createMetricsEndpoint } from './metrics.js';
import { inRequestSpan } from '../observability/tracing.js';
import { createConsole } from './web/console.js';
import { AuditLog } from './services/audit-log.js';
import { AssertionReplayCache } from './oauth/assertion-replay.js';
import { GrantService } from './services/grants.js';
import { RevocationBroadcast } from './services/revocation-broadcast.js';
import { pushUrlOf, REVOCATION_PUSH_PATH, RevocationPush } from './services/revocation-push.js';

export interface ApiServer {
  url: string;
  graphqlUrl: string;
  services: Services;
  audit: AuditLog;
  close(): Promise<void>;
}

/** Marks a document graphql-armor refuses with the code for it (armor leaves its errors without one). */
const documentRefused =
  (code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED') => (_ctx: unknown, err: GraphQLError) => {
    (err.extensions as Record<string, unknown>).code = code;
  };

/** A request's route for its span's name: the endpoint, never an id or a tool's path in it. */
const ROUTE =
  /^\/(graphql|oauth\/[a-z]+|gateway|mcp|console|codec|\.well-known\/[a-z-]+|healthz|readyz|metrics|integrations\/[a-z]+)/;
const UNTRACED_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
function routeName(url: string | undefined): string {
  const m = ROUTE.exec((url ?? '/').split('?')[0]!);
  return m ? `/${m[1]}` : 'other';
}

/** Introspection off in production, with GraphQL's own validation rule. */
const disableIntrospection: Plugin = {
  onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
};

export async function startApiServer(
  config: WardenConfig,
  client: Client,
  options: { services?: Services } = {},
): Promise<ApiServer> {
  const services = options.services ?? createServices(client, config);
  const settings = config.credentials;
  await services.signingKeys.ensureStarted();
  const audit = new AuditLog(client, config.temporal.taskQueue, config.audit, path.join(config.dataDir, 'audit-spool'));
  const verifyHuman: HumanTokenVerifier = await createHumanTokenVerifier(config.humans, config.dataDir);
  const agentTokens = new AgentTokens(services.signingKeys, services.agentAccess, settings);
  const grants = new GrantService(
    services.agents,
    services.actionCommands,
    services.tools,
    services.signingKeys,
    audit,
    settings,
  );
  // RFC 9728: a resource's metadata is at the well-known path built from its URL, and names that URL.
  const resourceMetadataUrl = protectedResourceMetadataUrl(settings.apiAudience);
  const apiMetadataPath = new URL(resourceMetadataUrl).pathname;

  const unauthenticated = (message: string): GraphQLError =>
    toGraphQLError(ErrorCode.UNAUTHENTICATED, message, undefined, {
      'WWW-Authenticate': `Bearer realm="warden", error="invalid_token", error_description="${message.replace(/"/g, "'")}", resource_metadata="${resourceMetadataUrl}"`,
    });

  /** A person: who the token says, with the roles the directory gives them now. */
  const authenticateHuman = async (token: string): Promise<HumanPrincipal> => {
    const verified = await verifyHuman(token);
    const roles = effectiveRoles(await services.people.roles(verified.email), verified.tokenRoles);
    return {
      kind: 'human',
      subject: verified.subject,
      email: verified.email,
      roles,
      expiresAt: verified.expiresAt,
      ...(verified.tokenId ? { tokenId: verified.tokenId } : {}),
    };
  };

  /** A bearer token is either Warden's own (an agent) or a person's from the OIDC issuer. */
  const authenticate = async (token: string): Promise<Principal> => {
    if (agentTokens.isWardenIssued(token)) {
      const at = await agentTokens.verifyAccess(token);
      return { kind: 'agent', subject: at.agentId, agentId: at.agentId, tokenId: at.jti, tokenExpiresAt: at.expiresAt };
    }
    return authenticateHuman(token);
  };

  const yoga = createYoga<Record<string, unknown>, WardenContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Expected client errors are not server errors; maskError logs the unexpected ones with a reference.
    logging: false,
    graphiql: false, // yoga's page loads GraphiQL from a CDN: ./web/graphiql.ts serves it from here
    maskedErrors: { maskError },
    plugins: [
      // Each limit refuses the document with the code docs/api.md lists: the token limit while parsing,
      // the others while validating.
      EnvelopArmorPlugin({
        maxDepth: { n: 10, onReject: [documentRefused('GRAPHQL_VALIDATION_FAILED')] },
        maxAliases: { n: 15, onReject: [documentRefused('GRAPHQL_VALIDATION_FAILED')] },
        maxTokens: { n: 2000, onReject: [documentRefused('GRAPHQL_PARSE_FAILED')] },
        maxDirectives: { n: 20, onReject: [documentRefused('GRAPHQL_VALIDATION_FAILED')] },
        costLimit: { maxCost: 5000, onReject: [documentRefused('GRAPHQL_VALIDATION_FAILED')] },
        blockFieldSuggestion: { enabled: true },
      }),
      ...(config.production ? [disableIntrospection] : []),
    ],
    context: async ({ request }): Promise<WardenContext> => {
      const header = request.headers.get('authorization');
      if (!header) throw unauthenticated('Authorization: Bearer <token> is required.');
      const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
      if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
      const bearer = match[1]!;
      try {
        const reauthenticate = () =>
          authenticate(bearer).catch((err) => {
            if (err instanceof TokenError) return null;
            throw err;
          });
        return { principal: await authenticate(bearer), services, audit, reauthenticate };
      } catch (err) {
        if (err instanceof TokenError) throw unauthenticated(err.message);
        throw err;
      }
    },
  });

  // One replay cache: a client assertion used at the token endpoint cannot be used again to revoke, nor the other way.
  const replay = new AssertionReplayCache();
  const token = createTokenEndpoint({
    agentAccess: services.agentAccess,
    agentCommands: services.agentCommands,
    agentTokens,
    verifyHuman: authenticateHuman,
    grants,
    keys: services.signingKeys,
    audit,
    settings,
    replay,
    isMcpEndpoint: (resource) => services.tools.isMcpEndpoint(resource),
  });
  const introspect = createIntrospectionEndpoint({
    agentTokens,
    verifyHuman: authenticateHuman,
    tools: services.tools,
    keys: services.signingKeys,
    settings,
  });
  const revoke = createRevocationEndpoint({
    agentTokens,
    agentCommands: services.agentCommands,
    keys: services.signingKeys,
    settings,
    authenticateClient: createClientAuthentication({
      agentAccess: services.agentAccess,
      agentCommands: services.agentCommands,
      audit,
      settings,
      replay,
    }),
  });
  const gateway = createGateway({ tools: services.tools, agentTokens, settings, audit });
  const mcp = createMcpEndpoint({
    services,
    agentTokens,
    audit,
    settings,
    publicUrl: config.api.publicUrl,
    approvalWaitMs: config.enforcement.mcpApprovalWaitMs,
  });
  const codecSessions = createCodecSessions({
    keys: services.signingKeys,
    publicUrl: config.api.publicUrl,
    authenticateHuman,
    rolesOf: (email) => services.people.roles(email),
  });
  // Encodes for people as `operator` (a workflow takes such a payload only with a signed statement); decodes
  // what they may read — never a private key or a vaulted secret, which the vault seals with keys the codec
  // does not hold.
  const codec = createCodecHandler({
    codec: createPayloadCodec(codecKeyRing(config), { encryptAs: 'operator', decode: 'reveal' }),
    allowedOrigins: config.api.codecOrigins,
    authorize: (req, operation) => codecSessions.authorize(req, operation),
  });

  const graphiql = config.production ? null : createGraphiQL();
  const slack = createSlackInteractions(slackSettings(config), { ...services, audit });

  const consolePages = createConsole({ config, people: services.people, audit });
  const health = createHealthEndpoints(apiReadiness(client, config.temporal.namespace, services.signingKeys));
  const metrics = createMetricsEndpoint(client, audit);
  const route = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/console' || path.startsWith('/console/')) return consolePages(req, res, path);
    if (graphiql?.serves(req, path)) return graphiql.serve(req, res, path);
    if (path === '/graphql') return yoga(req, res);
    if (path === SLACK_INTERACTIONS_PATH) return slack(req, res);
    if (path === '/oauth/token') return token(req, res);
    if (path === '/oauth/introspect') return introspect(req, res);
    if (path === '/oauth/revoke') return revoke(req, res);
    if (path === '/oauth/authorize')
      return sendJson(res, 400, {
        error: 'unsupported_response_type',
        error_description:
          'Warden has no authorization code flow: agents get tokens with client_credentials (private_key_jwt) at /oauth/token; people sign in at their OpenID provider.',
      });
    if (path.startsWith('/gateway/')) return gateway(req, res, path);
    if (path.startsWith('/mcp/')) return mcp(req, res, path);
    if (path === '/codec/session') return codecSessions.handle(req, res);
    if (path.startsWith('/codec/')) return codec(req, res, path);
    if (path === '/.well-known/jwks.json')
      return sendJson(res, 200, await services.signingKeys.jwks(), { 'cache-control': 'public, max-age=60' });
    if (path === '/.well-known/oauth-authorization-server')
      return sendJson(res, 200, authorizationServerMetadata(settings), { 'cache-control': 'public, max-age=300' });
    if (path === apiMetadataPath)
      return sendJson(res, 200, protectedResourceMetadata(settings, settings.apiAudience, 'Warden GraphQL API'));
    const gatewayMeta = /^\/\.well-known\/oauth-protected-resource\/gateway\/([a-z0-9][a-z0-9-]{0,62})$/.exec(path);
    if (gatewayMeta) {
      const tool = await services.tools.find(gatewayMeta[1]!);
      if (
        tool?.authMode === 'VAULTED_SECRET' &&
        protectedResourceMetadataUrl(tool.resource) === `${new URL(settings.issuer).origin}${path}`
      ) {
        return sendJson(
          res,
          200,
          protectedResourceMetadata(settings, tool.resource, `${tool.name} (through the Warden gateway)`),
        );
      }
    }
    const mcpMeta = /^\/\.well-known\/oauth-protected-resource(\/mcp\/[a-z0-9][a-z0-9-]{0,62})$/.exec(path);
    if (mcpMeta) {
      const tool = await services.tools.find(mcpMeta[1]!.slice('/mcp/'.length));
      if (tool?.mcp && protectedResourceMetadataUrl(tool.mcp.endpoint) === `${new URL(settings.issuer).origin}${path}`)
        return sendJson(
          res,
          200,
          protectedResourceMetadata(settings, tool.mcp.endpoint, `${tool.name} (MCP, through Warden)`),
        );
    }
    if (await health(res, path)) return;
    if (path === '/metrics') return metrics.serve(res);
    if (path === REVOCATION_PUSH_PATH) return broadcast.receivePush(req, res);
    return sendJson(res, 404, {
      error: 'not_found',
      message: `Nothing at ${path.slice(0, 100)}. GraphQL is at /graphql.`,
    });
  };

  // Announced containments go straight to the other API processes too (pushed to this one at pushUrl), and
  // through the broadcast workflow to any process a push misses. Listening starts once this one serves.
  // A configured address is checked now, before this process serves; its own is known once it listens.
  let pushUrl = config.api.pushUrl === null ? null : pushUrlOf(config.api.pushUrl, config.api.host, config.api.port);
  const broadcast = new RevocationBroadcast(client, {
    taskQueue: config.temporal.taskQueue,
    push: new RevocationPush(services.signingKeys, () => pushUrl!),
  });

  const server = http.createServer((req, res) => {
    const name = routeName(req.url);
    // Balancers' checks and scrapes (every second or so, on every process) are not worth a trace.
    const served = UNTRACED_ROUTES.has(name)
      ? route(req, res)
      : inRequestSpan(`${req.method} ${name}`, req.headers, async (span) => {
          await route(req, res);
          span.setAttribute('http.response.status_code', res.statusCode);
        });
    served.catch((err) => {
      // Temporal unreachable (or no worker to answer a query): say so, and that nothing was done.
      const unavailable =
        err instanceof ServiceError ||
        (err instanceof WardenError && err.code === ErrorCode.UNAVAILABLE) ||
        /Failed to query Workflow/i.test(String((err as Error)?.message));
      if (!unavailable) console.error('api: request failed:', err);
      if (res.headersSent) res.destroy();
      else if (unavailable)
        sendJson(
          res,
          503,
          {
            error: 'temporarily_unavailable',
            message: 'Warden cannot reach its workflows right now; nothing was done. Retry shortly.',
          },
          { 'retry-after': '1' },
        );
      else sendJson(res, 500, { error: 'server_error', message: 'Unexpected error.' });
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.api.port, config.api.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  pushUrl ??= pushUrlOf(null, config.api.host, port);
  // From now on this process serves agents: learn of changes to their access from the revocation feed, and
  // at once from the other API processes on the revocation broadcast.
  services.agentAccess.startAccessFeed();
  services.agentAccess.joinBroadcast(broadcast);
  const url = `http://${config.api.host === '0.0.0.0' ? 'localhost' : config.api.host}:${port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    services,
    audit,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      metrics.stop();
      await audit.close();
      await services.agentAccess.stopAccessFeed();
      await broadcast.stop();
      await services.mcpUpstreams.close();
    },
  };
}
