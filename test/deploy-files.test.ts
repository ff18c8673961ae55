/**
 * The deployment files name Warden's search attributes by hand (the compose file's setup job runs the
 * Temporal CLI, without Node): they must be exactly the ones Warden's workflows set, with their types.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.js';
import { CLI_TYPE_NAMES, WARDEN_SEARCH_ATTRIBUTES } from '../temporal/search-attributes.js';

const expected = WARDEN_SEARCH_ATTRIBUTES.map((k) => `${k.name} ${CLI_TYPE_NAMES[k.type]}`).sort();
const named = (file: string) =>
  [...fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8').matchAll(/--name (\w+) --type (\w+)/g)]
    .map((m) => `${m[1]} ${m[2]}`)
    .sort();

describe("the deployment files' search attributes", () => {
  it.each(['deploy/temporal/setup-namespace.sh', 'docs/operations.md'])('%s registers exactly Warden’s', (file) => {
    expect(named(file)).toEqual(expected);
  });
});
