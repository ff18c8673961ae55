/**
 * Whether this API serves the approval routing policy's fields (rule, tiers, votes, viewerCanDecide):
 * asked once, by validating a query that names them (introspection is off in production).
 */
import { GraphQLFailure, type Api } from './api';

const PROBE = `query RoutingProbe($id: ID!) { actionRequest(id: $id) { viewerCanDecide approval { rule waitingFor } } }`;
const known = new WeakMap<Api, Promise<boolean>>();

export function routingAvailable(api: Api): Promise<boolean> {
  let answer = known.get(api);
  if (!answer) {
    answer = api.request(PROBE, { id: '00000000-0000-4000-8000-000000000000' }).then(
      () => true,
      (err) => !(err instanceof GraphQLFailure && err.code === 'GRAPHQL_VALIDATION_FAILED'),
    );
    known.set(api, answer);
  }
  return answer;
}
