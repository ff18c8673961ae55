/** Seeds the people directory from a JSON file, adding only people who are not there yet. */
import fs from 'node:fs';
import type { PersonInput } from '../domain/people.js';
import type { PeopleDirectory } from '../api/services/people-directory.js';
import { WARDEN } from '../services/commands.js';

export async function seedPeople(people: PeopleDirectory, file: string): Promise<string[]> {
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { people?: PersonInput[] };
  if (!Array.isArray(parsed.people)) throw new Error(`${file}: expected {"people": [...]}`);
  const added: string[] = [];
  for (const person of parsed.people) {
    if (await people.find(person.email)) continue;
    await people.upsert(WARDEN, person);
    added.push(person.email);
  }
  return added;
}
