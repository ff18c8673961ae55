/**
 * Makes sure a namespace has Warden's custom search attributes. The embedded dev server registers them at
 * launch; on an external cluster this registers what is missing, or says exactly what an operator must
 * run when the connection may not call the operator API (as on Temporal Cloud).
 */
import type { Connection } from '@temporalio/client';
import { CLI_TYPE_NAMES, INDEXED_VALUE_TYPES, WARDEN_SEARCH_ATTRIBUTES } from './search-attributes.js';

export async function missingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return WARDEN_SEARCH_ATTRIBUTES.map((k) => k.name).filter((name) => !(customAttributes && name in customAttributes));
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
    const flags = keys.map((k) => `--name ${k.name} --type ${CLI_TYPE_NAMES[k.type]}`).join(' ');
    throw new Error(
      `namespace ${namespace} lacks Warden's search attributes (${[...missing].join(', ')}) and this connection could not add them ` +
        `(${(err as Error).message}). Add them once as an operator: temporal operator search-attribute create --namespace ${namespace} ${flags}`,
    );
  }
  return [...missing];
}
