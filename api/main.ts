/** `npm run api`: one API process. Run several behind a load balancer against one Temporal cluster. */
import { loadConfig } from '../config/config.js';
import { dataConverterFor } from '../vault/key-rings.js';
import { connectClient } from '../temporal/connection.js';
import { startApiServer } from './server.js';

const config = loadConfig();
const { client, connection } = await connectClient(config.temporal, dataConverterFor(config));
const api = await startApiServer(config, client);
console.log(`api: GraphQL at ${api.graphqlUrl}${config.production ? '' : ' (GraphiQL in the browser)'}`);
process.send?.({ ready: 'api', url: api.url });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await api.close();
    await connection.close();
    console.log('api: stopped');
    process.exit(0);
  });
}
