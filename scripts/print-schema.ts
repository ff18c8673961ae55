/** `npm run schema`: prints the GraphQL SDL (`--write` also refreshes the committed schema.graphql). */
import fs from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../api/schema.js';
import { PROJECT_ROOT } from '../config/config.js';

export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema.graphql');
export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const sdl = printedSchema();
  if (process.argv.includes('--write')) fs.writeFileSync(SCHEMA_FILE, sdl);
  process.stdout.write(sdl);
}
