/** The committed schema.graphql is the contract; it must match the code. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema, SCHEMA_FILE } from '../scripts/print-schema.js';

describe('schema.graphql', () => {
  it('is up to date (run `npm run schema:write` after changing the API)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(printedSchema());
  });

  it('has the contract names', () => {
    const sdl = printedSchema();
    for (const name of [
      'viewer: Viewer!',
      'agents(',
      'agent(id: ID!): Agent',
      'people(',
      'registerAgent(input: RegisterAgentInput!)',
      'suspendAgent(',
      'resumeAgent(',
      'decommissionAgent(',
      'transferAgentOwnership(input: TransferAgentOwnershipInput!)',
      'upsertPerson(input: UpsertPersonInput!)',
      'enum AgentStatus {\n  ACTIVE\n  DECOMMISSIONED\n  DISCOVERED\n  SUSPENDED\n}',
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
