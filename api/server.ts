/**
 * The API process's HTTP server: GraphQL at /graphql (graphql-yoga), health at /healthz. Stateless: any
 * number of these can run against one Temporal cluster.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Client } from '@temporalio/client';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { WardenConfig } from '../config/config.js';
import { ErrorCode } from '../domain/errors.js';
import { TokenError } from './auth/errors.js';
import { createHumanTokenVerifier } from './auth/human-tokens.js';
import type { WardenContext, Services } from './context.js';
import { maskError, toGraphQLError } from './errors.js';
import { schema } from './schema.js';
import { AgentDirectory } from './services/agent-directory.js';
import { PeopleDirectory } from './services/people-directory.js';

export interface ApiServer {
  url: string;
  graphqlUrl: string;
  services: Services;
  close(): Promise<void>;
}

export function createServices(client: Client, config: WardenConfig): Services {
  const people = new PeopleDirectory(client, config.temporal.taskQueue);
  const agents = new AgentDirectory(client, people, {
    taskQueue: config.temporal.taskQueue,
    continueAsNewAfterEvents: config.continueAsNewAfterEvents,
  });
  return { people, agents };
}

/** Introspection off in production, with GraphQL's own validation rule. */
const disableIntrospection: Plugin = {
  onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
};

function unauthenticated(message: string): GraphQLError {
  return toGraphQLError(ErrorCode.UNAUTHENTICATED, message, undefined, {
    'WWW-Authenticate': `Bearer realm="warden", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
  });
}

export async function startApiServer(config: WardenConfig, client: Client, options: { port?: number } = {}): Promise<ApiServer> {
  const services = createServices(client, config);
  const verifyHuman = await createHumanTokenVerifier(config.humans, config.dataDir);

  const yoga = createYoga<Record<string, unknown>, WardenContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.production ? false : { title: 'Warden GraphQL', headers: JSON.stringify({ Authorization: 'Bearer <token from npm run token>' }) },
    maskedErrors: { maskError },
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: 10 },
        maxAliases: { n: 15 },
        maxTokens: { n: 2000 },
        maxDirectives: { n: 20 },
        costLimit: { maxCost: 5000 },
        blockFieldSuggestion: { enabled: true },
      }),
      ...(config.production ? [disableIntrospection] : []),
    ],
    context: async ({ request }): Promise<WardenContext> => {
      const header = request.headers.get('authorization');
      if (!header) throw unauthenticated('Authorization: Bearer <token> is required.');
      const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
      if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
      try {
        return { principal: await verifyHuman(match[1]!), services };
      } catch (err) {
        if (err instanceof TokenError) throw unauthenticated(err.message);
        throw err;
      }
    },
  });

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/graphql') return yoga(req, res);
    res.setHeader('content-type', 'application/json');
    if (path === '/healthz') {
      res.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: 'not_found', message: `Nothing at ${path}. GraphQL is at /graphql.` }));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.api.port, config.api.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.api.host === '0.0.0.0' ? 'localhost' : config.api.host}:${port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    services,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
