/**
 * An `azure-foundry` source in a real sweep (Temporal dev server, worker and API in-process): the sources file
 * names a project endpoint and the environment variable holding the Entra token; the worker lists the agents
 * from a local server speaking the Agent Service's wire format (fixtures in test/fixtures/discovery/azure-foundry)
 * and the agents land in the directory as discovered, with their owners proposed from metadata.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFindings, FIXTURES, runSweep, sweepUntilDone } from './helpers/discovery.js';
import { listen, type TestServer } from './helpers/http-servers.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

const TOKEN_ENV = 'WARDEN_TEST_AZURE_FOUNDRY_TOKEN';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.PLANTEDsweepTOKENpayload.PLANTEDsignature';
const page = (n: number) => fs.readFileSync(path.join(FIXTURES, 'azure-foundry', `assistants.page${n}.json`), 'utf8');

let stack: Stack;
let security: string;
let foundry: TestServer;
const authorizations: string[] = [];

beforeAll(async () => {
  process.env[TOKEN_ENV] = TOKEN;
  foundry = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    authorizations.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'Unauthorized', message: 'Access token is missing or invalid.' } }));
      return;
    }
    const after = url.searchParams.get('after');
    const body =
      after === 'asst_9hTfW3eLq6VzPb2nKd8Sx1Mc'
        ? page(2)
        : after === 'asst_2kPzR7vNw4XcLb9mQt5Hy3Ge'
          ? page(3)
          : page(1);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-foundry-'));
  const sources = path.join(dir, 'discovery-sources.json');
  fs.writeFileSync(
    sources,
    JSON.stringify({
      rules: { ownerEmailDomain: 'example.com', cloud: { pageSize: 2, retryBaseDelayMs: 20, retryMaxDelayMs: 100 } },
      sources: [
        {
          name: 'foundry',
          type: 'azure-foundry',
          targets: [{ endpoint: `${foundry.url}/api/projects/finance` }],
          accessTokenEnv: TOKEN_ENV,
        },
      ],
    }),
  );
  stack = await startStack({ env: { WARDEN_DISCOVERY_SOURCES: sources, WARDEN_DISCOVERY_INTERVAL: '12h' } });
  security = await stack.token(`sec-${stack.tag}@example.com`, ['security']);
});

afterAll(async () => {
  await stack?.stop();
  await foundry?.close();
  delete process.env[TOKEN_ENV];
});

describe('a sweep with an Azure AI Foundry source', () => {
  it('lists the project with the token from the environment and brings its agents into the directory', async () => {
    const { id } = await runSweep(stack.gql, security);
    const sweep = await sweepUntilDone(stack.gql, security, id);
    expect(sweep.status).toBe('COMPLETED');
    expect(sweep.sources.map((s: any) => [s.name, s.type, s.state, s.read, s.malformed, s.findings])).toEqual([
      ['foundry', 'azure-foundry', 'DONE', 5, 1, 4],
    ]);
    expect(sweep.sources[0].covers).toEqual(['CLOUD']);
    expect(sweep.newAgentCount).toBe(4);
    expect(authorizations).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);

    const findings = await eventually(async () => {
      const f = await allFindings(stack.gql, security);
      return f.length === 4 ? f : undefined;
    });
    const host = new URL(foundry.url).host;
    expect(findings.map((f) => [f.fingerprint, f.kind, f.agentName, f.proposedOwnerEmail]).sort()).toEqual([
      [
        `azure-foundry:${host}/api/projects/finance:asst_2kPzR7vNw4XcLb9mQt5Hy3Ge`,
        'azure-foundry-agent',
        'contract-qa',
        'sam@example.com',
      ],
      [
        `azure-foundry:${host}/api/projects/finance:asst_4sGqY2kJb8TzXw1mNc7Rp0Ld`,
        'azure-foundry-agent',
        'invoice-triage',
        'olivia@example.com',
      ],
      [
        `azure-foundry:${host}/api/projects/finance:asst_7nLcX5bRt2WqMz8kVp4Jd6Fh`,
        'azure-foundry-agent',
        'wire-transfer-helper',
        'dana@acme.example',
      ],
      [
        `azure-foundry:${host}/api/projects/finance:asst_9hTfW3eLq6VzPb2nKd8Sx1Mc`,
        'azure-foundry-agent',
        'supplier-research',
        null,
      ],
    ]);
    expect(findings.every((f) => f.source === 'CLOUD' && f.platform === 'azure-ai-foundry')).toBe(true);
    const text = JSON.stringify({ sweep, findings });
    expect(text).not.toMatch(/PLANTED/);
    expect(text).not.toContain(TOKEN);
  });
});
