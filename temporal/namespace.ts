/**
 * Makes sure a namespace has Warden's custom search attributes. The embedded dev server registers them at
 * launch; on an external cluster this registers what is missing, or says exactly what an operator must
 * run when the connection may not call the operator API (as on Temporal Cloud).
 */
import type { Connection } from '@temporalio/client';
import { CLI_TYPE_NAMES, INDEXED_VALUE_TYPES, WARDEN_SEARCH_ATTRIBUTES } from './search-attributes.js';

export async function missingSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return WARDEN_SEARCH_ATTRIBUTES.map((k) => k.name).filter((name) => !(customAttributes && name in customAttributes));
}

/** The operator's command that creates the given search attributes. */
function createCommand(namespace: string, names: Set<string>): string {
  const flags = WARDEN_SEARCH_ATTRIBUTES.filter((k) => names.has(k.name))
    .map((k) => `--name ${k.name} --type ${CLI_TYPE_NAMES[k.type]}`)
    .join(' ');
  return `temporal operator search-attribute create --namespace ${namespace} ${flags}`;
}

/**
 * Refuses to go on when the namespace lacks one of Warden's search attributes (a worker started on a
 * namespace an upgrade added one to would fail every workflow task that sets it). When this connection
 * may not list them, it says so and goes on.
 */
export async function requireSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  let missing: string[];
  try {
    missing = await missingSearchAttributes(connection, namespace);
  } catch (err) {
    console.warn(
      `could not list the search attributes of namespace ${namespace} (${(err as Error).message}); make sure Warden's are registered`,
    );
    return;
  }
  if (missing.length) {
    throw new Error(
      `namespace ${namespace} lacks Warden's search attributes ${missing.join(', ')}. Add them once as an operator: ${createCommand(namespace, new Set(missing))}`,
    );
  }
}

export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const missing = new Set(await missingSearchAttributes(connection, namespace));
  if (missing.size === 0) return [];
  const keys = WARDEN_SEARCH_ATTRIBUTES.filter((k) => missing.has(k.name));
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(keys.map((k) => [k.name, INDEXED_VALUE_TYPES[k.type]])),
    });
  } catch (err) {
    throw new Error(
      `namespace ${namespace} lacks Warden's search attributes (${[...missing].join(', ')}) and this connection could not add them ` +
        `(${(err as Error).message}). Add them once as an operator: ${createCommand(namespace, missing)}`,
      { cause: err },
    );
  }
  return [...missing];
}
