/** `npm run api`: one API process. Run several behind a load balancer against one Temporal cluster. */
import { loadConfig } from '../config/config.js';
import { dataConverterFor } from '../vault/key-rings.js';
import { connectClient } from '../temporal/connection.js';
import { ApprovalPolicyError, loadApprovalPolicy } from './approval-policy-file.js';
import { startApiServer } from './server.js';
import { installTracing } from '../observability/tracing.js';

const config = loadConfig();
// A mistake in the routing policy stops the start before anything connects, with the file and the line.
try {
  loadApprovalPolicy(config.enforcement.approvalPolicyFile, config.enforcement.approvalTimeoutMs);
} catch (err) {
  if (!(err instanceof ApprovalPolicyError)) throw err;
  console.error(`api: could not start: ${err.message}`);
  process.exit(1);
}
const tracing = installTracing('warden-api');
const { client, connection } = await connectClient(config.temporal, dataConverterFor(config), {
  traced: Boolean(tracing),
});
const api = await startApiServer(config, client);
console.log(`api: GraphQL at ${api.graphqlUrl}${config.production ? '' : ' (GraphiQL in the browser)'}`);
// The launcher may have gone meanwhile (it stops when another part fails to start).
if (process.connected) process.send?.({ ready: 'api', url: api.url });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await api.close();
    await connection.close();
    await tracing?.shutdown();
    console.log('api: stopped');
    process.exit(0);
  });
}
