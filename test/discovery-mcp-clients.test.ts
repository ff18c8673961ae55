/**
 * MCP servers in the configs of Claude Code, Windsurf, Cline, Roo Code, Continue, Zed, Gemini CLI, the Codex
 * CLI and VS Code's user settings, against test/fixtures/discovery/mcp-clients (each written from the
 * client's documentation, cited in test/fixtures/discovery/README.md). The host directory names the client.
 * Pure: no Temporal needed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  discoveryConfig,
  mergeFindings,
  scanMcpConfigs,
  type ScanResult,
  type SourceProgress,
} from '../discovery/index.js';
import { mcpConfigKind } from '../discovery/sources/mcp-configs.js';
import type { Finding } from '../domain/discovery.js';

const ROOT = path.join(import.meta.dirname, 'fixtures', 'discovery', 'mcp-clients');
const OBSERVED = '2026-12-01T09:00:00.000Z';
const input = { root: ROOT, observedAt: OBSERVED };
const config = discoveryConfig({ ownerEmailDomain: 'example.com' });

/** Every planted server (fixtures README, "MCP clients"). */
const PLANTED: Record<string, string[]> = {
  'claude-code': [
    'mcp:claude-code:dana:npm:airtable-mcp-server',
    'mcp:claude-code:dana:url:mcp.notion.com/mcp',
    'mcp:claude-code:dana:npm:chrome-devtools-mcp',
    'mcp:claude-code:dana:url:mcp.storefront.example.com/mcp',
  ],
  windsurf: [
    'mcp:windsurf:dana:oci:ghcr.io/github/github-mcp-server',
    'mcp:windsurf:dana:url:actions.zapier.com/mcp/***cdef/sse',
  ],
  cline: [
    'mcp:cline:dana:npm:@modelcontextprotocol/server-brave-search',
    'mcp:cline:dana:url:mcp.tools.example.com/sse',
  ],
  'roo-code': ['mcp:roo-code:erik:pypi:postgres-mcp', 'mcp:roo-code:erik:url:mcp.billing.example.com/mcp'],
  continue: [
    'mcp:continue:erik:npm:mcp-sqlite',
    'mcp:continue:erik:url:mcp.erik-tools.example.com/mcp',
    'mcp:continue:erik:npm:@playwright/mcp',
    'mcp:continue:erik:pypi:mcp-server-sqlite',
  ],
  zed: [
    'mcp:zed:dana:npm:@modelcontextprotocol/server-everything',
    'mcp:zed:dana:url:mcp.zed-remote.example.com/mcp',
    'mcp:zed:dana:npm:@upstash/context7-mcp',
  ],
  'gemini-cli': [
    'mcp:gemini-cli:erik:pymodule:my_mcp_server',
    'mcp:gemini-cli:erik:url:mcp.gemini-tools.example.com/mcp',
    'mcp:gemini-cli:erik:url:sse.gemini-tools.example.com/sse',
  ],
  codex: ['mcp:codex:erik:npm:@upstash/context7-mcp', 'mcp:codex:erik:url:mcp.figma.com/mcp'],
  'vscode-user': ['mcp:vscode-user:dana:npm:server-perplexity-ask'],
};

/** Secret values planted in env, headers, URLs and broken lines; none may appear in findings or errors. */
const SECRETS = [
  'patPLANTEDairtableKEY1234567890',
  'PLANTEDstorefrontBEARER12345',
  'ghp_PLANTEDwindsurfTOKEN1234567890abcd',
  'PLANTEDzapierKEY0123456789abcdef',
  'BSAPLANTEDbraveKEY1234567890',
  'PLANTEDclineBEARER1234567890',
  'PLANTEDrooDbPass',
  'PLANTEDrooHEADERkey1234567890',
  'PLANTEDzedBEARER1234567890',
  'ghp_PLANTEDzedEXTENSIONtoken1234567',
  'PLANTEDgeminiBEARER1234567890',
  'ctx7PLANTEDcodexKEY1234567890',
  'ghp_PLANTEDbrokenTOML1234567890abcd',
  'sk-PLANTEDbrokenYAML1234567890abcd',
];

const fps = (r: ScanResult) => r.findings.map((f) => f.fingerprint).sort();
const byFp = (r: ScanResult, fp: string): Finding => {
  const f = r.findings.find((x) => x.fingerprint === fp);
  if (!f) throw new Error(`no finding ${fp}`);
  return f;
};
function expectNoSecrets(r: ScanResult): void {
  const text = JSON.stringify(r);
  for (const s of SECRETS) expect(text).not.toContain(s);
}

describe('MCP client configs beyond Claude Desktop, Cursor and VS Code workspaces', () => {
  it('finds exactly the planted servers of every client; malformed files and entries are counted, never found', async () => {
    const r = await scanMcpConfigs(input, config);
    expect(fps(r)).toEqual(Object.values(PLANTED).flat().sort());
    for (const [client, planted] of Object.entries(PLANTED)) {
      for (const fp of planted) {
        expect(byFp(r, fp).evidence.clients).toBe(client === 'vscode-user' ? 'vscode' : client);
      }
    }
    // 4 skipped: Windsurf `disabled`, Codex `enabled = false`, a Zed extension server, a Continue hub `uses`.
    // 9 malformed: see the README's list.
    expect(r.progress).toMatchObject({ malformed: 9, skipped: 4, done: true });
    expect(r.findings.some((f) => f.host === 'malformed')).toBe(false);
    expect(r.progress.errors).toHaveLength(7);
    expectNoSecrets(r);
  });

  it('keeps the project of a Claude Code project-scoped server, and only names of env vars and headers', async () => {
    const r = await scanMcpConfigs(input, config);
    expect(byFp(r, 'mcp:claude-code:dana:npm:chrome-devtools-mcp').evidence).toMatchObject({
      configFiles: '.claude.json',
      project: '/Users/dana/src/storefront',
      transport: 'stdio',
    });
    expect(byFp(r, 'mcp:claude-code:dana:npm:airtable-mcp-server')).toMatchObject({
      agentName: 'airtable',
      proposedOwnerEmail: 'dana@example.com',
      firstSeen: OBSERVED,
      evidence: { envKeys: 'AIRTABLE_API_KEY', commandLine: 'npx -y airtable-mcp-server' },
    });
    expect(byFp(r, 'mcp:claude-code:dana:url:mcp.storefront.example.com/mcp').evidence).toMatchObject({
      configFiles: 'src/storefront/.mcp.json',
      headerKeys: 'Authorization',
    });
    expect(byFp(r, 'mcp:codex:erik:url:mcp.figma.com/mcp').evidence).toMatchObject({
      transport: 'http',
      headerKeys: 'X-Figma-Region, X-Team',
    });
    expect(byFp(r, 'mcp:vscode-user:dana:npm:server-perplexity-ask').evidence).toMatchObject({
      envKeys: 'PERPLEXITY_API_KEY',
      inputs: 'perplexity-key',
    });
  });

  it('reads each client’s own remote-server keys and transports', async () => {
    const r = await scanMcpConfigs(input, config);
    const transport = (fp: string) => byFp(r, fp).evidence.transport;
    expect(transport('mcp:windsurf:dana:url:actions.zapier.com/mcp/***cdef/sse')).toBe('http'); // serverUrl
    expect(byFp(r, 'mcp:windsurf:dana:url:actions.zapier.com/mcp/***cdef/sse').evidence.url).toBe(
      'https://actions.zapier.com/mcp/***cdef/sse',
    );
    expect(transport('mcp:gemini-cli:erik:url:mcp.gemini-tools.example.com/mcp')).toBe('http'); // httpUrl
    expect(transport('mcp:gemini-cli:erik:url:sse.gemini-tools.example.com/sse')).toBe('sse'); // url
    expect(transport('mcp:roo-code:erik:url:mcp.billing.example.com/mcp')).toBe('streamable-http');
    expect(transport('mcp:continue:erik:url:mcp.erik-tools.example.com/mcp')).toBe('streamable-http');
    expect(byFp(r, 'mcp:zed:dana:npm:@upstash/context7-mcp').evidence.commandLine).toBe('npx -y @upstash/context7-mcp');
    expect(byFp(r, 'mcp:continue:erik:pypi:mcp-server-sqlite').evidence.serverName).toBe(
      'modelContextProtocolServers[0]',
    );
  });

  it('one server in two clients on the same host and user is one finding listing both', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-mcp-clients-'));
    after.push(dir);
    const home = path.join(dir, 'ws-1', 'lee');
    fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
    fs.mkdirSync(path.join(home, '.gemini'), { recursive: true });
    fs.writeFileSync(
      path.join(home, '.codex', 'config.toml'),
      '[mcp_servers.fetch]\ncommand = "uvx"\nargs = ["mcp-server-fetch"]\n',
    );
    fs.writeFileSync(
      path.join(home, '.gemini', 'settings.json'),
      '{"mcpServers":{"fetch":{"command":"uvx","args":["mcp-server-fetch"]}}}',
    );
    const r = await scanMcpConfigs({ root: dir }, config);
    expect(fps(r)).toEqual(['mcp:ws-1:lee:pypi:mcp-server-fetch']);
    expect(r.findings[0]!.evidence.clients).toBe('codex, gemini-cli');
  });

  it('recognises files by their documented paths only', () => {
    const kind = (p: string) => mcpConfigKind(p.split('/'))?.client;
    expect(kind('.claude.json')).toBe('claude-code');
    expect(kind('src/app/.claude.json')).toBeUndefined(); // only the one in the home directory
    expect(kind('.codeium/windsurf/mcp_config.json')).toBe('windsurf');
    expect(kind('mcp_config.json')).toBeUndefined();
    expect(kind('.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json')).toBe(
      'cline',
    );
    expect(kind('.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json')).toBe(
      'roo-code',
    );
    expect(kind('.config/Code/User/globalStorage/someone.else/settings/mcp_settings.json')).toBeUndefined();
    expect(kind('.config/Code/User/settings.json')).toBe('vscode');
    expect(kind('project/.vscode/settings.json')).toBeUndefined();
    expect(kind('.config/zed/settings.json')).toBe('zed');
    expect(kind('src/app/.zed/settings.json')).toBe('zed');
    expect(kind('.gemini/settings.json')).toBe('gemini-cli');
    expect(kind('.codex/config.toml')).toBe('codex');
    expect(kind('.continue/config.yaml')).toBe('continue');
    expect(kind('.continue/mcpServers/db.yml')).toBe('continue');
    expect(kind('.continue/config.ts')).toBeUndefined();
  });

  it('resumes from every checkpoint across JSON, YAML and TOML files', async () => {
    const step = discoveryConfig({ ownerEmailDomain: 'example.com', limits: { progressEvery: 1 } });
    const checkpoints: Array<{ progress: SourceProgress; findings: Finding[] }> = [];
    const full = await scanMcpConfigs(input, step, undefined, (progress, findings) => {
      checkpoints.push({ progress, findings });
    });
    expect(checkpoints.length).toBeGreaterThan(10);
    for (const cp of checkpoints) {
      const rest = await scanMcpConfigs(input, step, cp.progress);
      expect(mergeFindings(cp.findings, rest.findings)).toEqual(full.findings);
      expect(rest.progress).toMatchObject({
        read: full.progress.read,
        malformed: full.progress.malformed,
        skipped: full.progress.skipped,
        done: true,
      });
    }
  });
});

const after: string[] = [];
afterAll(() => {
  for (const d of after) fs.rmSync(d, { recursive: true, force: true });
});
