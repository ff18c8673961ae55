/**
 * The tool registry over Temporal: one `tool:<name>` workflow per tool. Upstream secrets are sealed
 * (vault envelope) here, before they reach Temporal, and are never returned by anything in this module.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { badInput, notFound } from '../../domain/errors.js';
import {
  isValidToolName,
  mcpEndpoint,
  toolSecretAad,
  toolWorkflowId,
  validateToolRegistration,
  type McpToolDefinition,
  type ToolOperation,
  type ToolRegistration,
  type ToolState,
} from '../../domain/tools.js';
import { acceptedOperation, definitionSha256, pinDefinitions } from './mcp-pins.js';
import { openSecret, sealSecret, type KeyRing, type SealedSecret } from '../../vault/envelope.js';
import {
  acceptToolDefinitionUpdate,
  getToolQuery,
  registerToolUpdate,
  reportToolDefinitionsUpdate,
  rotateToolSecretUpdate,
  type DefinitionsReport,
} from '../../workflows/tool/messages.js';
import { toolWorkflow } from '../../workflows/tool/workflow.js';
import { viaTemporal } from './temporal-errors.js';
import type { Commander, Commands } from '../../services/commands.js';
import { isForeign } from '../../temporal/payload-origin.js';
import { deploymentClauses } from '../../temporal/visibility.js';

/** A tool as callers may see it: no secrets, sealed or not. */
export type ToolView = Omit<ToolState, 'vault' | 'clientSecretDigest'> & {
  vault: {
    currentSecretId: string;
    rotations: number;
    rotatedAt: string;
    rotationUrl: string | null;
    lastError: string | null;
  } | null;
};

export interface ToolRegistrationInput extends ToolRegistration {
  /** VAULTED_SECRET: the upstream secret (sealed at once, never stored or returned in clear). */
  secret?: string | null;
  rotationUrl?: string | null;
}

const CACHE_MS = 2_000;

export function viewOf(tool: ToolState): ToolView {
  const { vault, clientSecretDigest: _digest, ...rest } = tool;
  return {
    ...rest,
    vault: vault
      ? {
          currentSecretId: vault.current.id,
          rotations: vault.rotations,
          rotatedAt: vault.rotatedAt,
          rotationUrl: vault.rotationUrl,
          lastError: vault.lastError,
        }
      : null,
  };
}

export class ToolRegistry {
  private cache = new Map<string, { tool: ToolState | null; at: number }>();
  private all: { tools: ToolState[]; at: number } | null = null;

  constructor(
    private readonly client: Client,
    private readonly commands: Commands,
    private readonly vault: KeyRing,
    private readonly options: {
      taskQueue: string;
      vaultRotationMs: number;
      vaultGraceMs: number;
      reservedResources: string[];
      /** `<public URL>/gateway`: a gateway tool's resource is its URL under it. */
      gatewayBase: string;
      /** Warden's public URL: an MCP tool's endpoint is `<public URL>/mcp/<tool>`. */
      publicUrl: string;
      /** What an MCP tool's upstream lists now (with the credential Warden holds for it). */
      listUpstream: (tool: ToolState) => Promise<McpToolDefinition[]>;
    },
  ) {}

  /** Registers a tool; the answer carries the tool's client secret (for introspection) exactly once. */
  /** A gateway (VAULTED_SECRET) tool's resource: the URL agents call it at, so RFC 9728 discovery finds it. */
  gatewayResource(name: string): string {
    return `${this.options.gatewayBase}/${name}`;
  }

  async register(
    by: Commander,
    registration: Omit<ToolRegistrationInput, 'resource'> & { resource?: string | null },
  ): Promise<{ tool: ToolState; clientSecret: string }> {
    const mcp = registration.authMode === 'MCP';
    // An MCP tool's resource is its MCP endpoint — unless Warden signs grants for the upstream, whose
    // audience it then is (the upstream's URL unless given).
    const gateway =
      registration.authMode === 'VAULTED_SECRET'
        ? this.gatewayResource(registration.name)
        : mcp && registration.upstreamAuth !== 'WARDEN_GRANT'
          ? mcpEndpoint(this.options.publicUrl, registration.name)
          : mcp
            ? (registration.resource ?? registration.upstreamUrl ?? null)
            : null;
    if (gateway && registration.resource && registration.resource.replace(/\/+$/, '') !== gateway) {
      throw badInput(`This tool's resource is ${gateway} (where Warden serves it); leave resource out.`);
    }
    if (!gateway && !registration.resource)
      throw badInput('resource (the URI the tool is known by, the audience of its grants) is required.');
    const input: ToolRegistrationInput = { ...registration, resource: gateway ?? registration.resource! };
    const problems = validateToolRegistration(input);
    const vaulted = input.authMode === 'VAULTED_SECRET' || input.upstreamAuth === 'VAULTED_SECRET';
    if (vaulted && !input.secret) problems.push('a VAULTED_SECRET tool needs its upstream secret');
    if (!vaulted && (input.secret || input.rotationUrl))
      problems.push('only tools with a vaulted upstream secret take a secret');
    if (input.secret && input.secret.length > 4096) problems.push('secret must be at most 4096 characters');
    if (input.rotationUrl) {
      try {
        const url = new URL(input.rotationUrl);
        if (
          url.protocol !== 'https:' &&
          !(url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname))
        )
          problems.push('rotationUrl must use https');
      } catch {
        problems.push('rotationUrl must be an absolute URL');
      }
    }
    // A grant for a tool whose resource is Warden's own API would pass as an API access token.
    if (this.options.reservedResources.includes(input.resource.replace(/\/$/, '')))
      problems.push("resource must not be Warden's own API");
    if (problems.length) throw badInput(problems.join('; '));
    const existing = await this.findByResource(input.resource);
    if (existing && existing.name !== input.name)
      throw badInput(`resource ${input.resource} already belongs to tool ${existing.name}`);
    const now = new Date().toISOString();
    const client = newClientSecret();
    const tool: ToolState = {
      name: input.name,
      resource: input.resource,
      description: input.description,
      operations: input.operations.map((o) => ({
        name: o.name,
        sensitivity: o.sensitivity,
        method: o.method?.toUpperCase() ?? null,
        path: o.path ?? null,
        query: o.query?.length ? [...new Set(o.query)].sort() : null,
      })),
      authMode: input.authMode,
      upstreamUrl: input.upstreamUrl ?? null,
      secretHeader: input.secretHeader || 'Authorization',
      secretPrefix:
        input.secretPrefix ??
        (input.secretHeader && input.secretHeader.toLowerCase() !== 'authorization' ? '' : 'Bearer '),
      vault: input.secret
        ? {
            current: {
              id: 'initial',
              sealed: sealSecret(this.vault, input.secret, toolSecretAad(input.name)),
              createdAt: now,
            },
            previous: null,
            rotationUrl: input.rotationUrl ?? null,
            rotationIntervalMs: this.options.vaultRotationMs,
            graceMs: this.options.vaultGraceMs,
            rotatedAt: now,
            rotations: 0,
            lastError: null,
          }
        : null,
      clientSecretDigest: client.digest,
      createdAt: now,
      updatedAt: now,
      mcp: mcp
        ? {
            upstreamAuth: input.upstreamAuth!,
            endpoint: mcpEndpoint(this.options.publicUrl, input.name),
            pinned: [],
            quarantined: [],
          }
        : null,
      createdBy: by.id,
    };
    if (mcp) Object.assign(tool, await this.pinUpstream(tool, input.operations, by.id, now));
    const workflowId = toolWorkflowId(tool.name);
    const registered = await viaTemporal(
      () =>
        this.commands.sendWithStart(
          registerToolUpdate,
          { tool },
          by,
          (trust) =>
            new WithStartWorkflowOperation(toolWorkflow, {
              workflowId,
              taskQueue: this.options.taskQueue,
              args: [{ name: tool.name, tool: null, trust }],
              workflowIdConflictPolicy: 'USE_EXISTING',
              staticSummary: `Tool «${tool.name}» (${tool.authMode})`,
              staticDetails: `Resource ${tool.resource}. Registered by ${by.id}.`,
            }),
          workflowId,
        ),
      `No tool ${tool.name}.`,
    );
    this.all = null;
    this.cache.set(tool.name, { tool: registered, at: Date.now() });
    return { tool: registered, clientSecret: client.secret };
  }

  /** An MCP tool's operations and pins, from what its upstream lists now. */
  private async pinUpstream(
    tool: ToolState,
    given: ToolOperation[],
    by: string,
    now: string,
  ): Promise<Pick<ToolState, 'operations' | 'mcp'>> {
    let definitions: McpToolDefinition[];
    try {
      definitions = await this.options.listUpstream(tool);
    } catch (err) {
      throw badInput(`Warden could not list the tools of ${tool.upstreamUrl}: ${(err as Error).message}`);
    }
    const pinned = pinDefinitions(tool.mcp!, definitions, given, by, now);
    if ('problems' in pinned) throw badInput(pinned.problems.join('; '));
    return pinned;
  }

  /** Whether `resource` is the MCP endpoint of a registered MCP tool. */
  async isMcpEndpoint(resource: string): Promise<boolean> {
    const name = /\/mcp\/([a-z0-9][a-z0-9-]{0,62})$/.exec(resource)?.[1];
    const tool = name ? await this.find(name) : null;
    return tool?.mcp?.endpoint === resource;
  }

  /** Tells the tool's workflow what its upstream listed; changed or new definitions are quarantined there. */
  async reportDefinitions(tool: ToolState, seen: McpToolDefinition[]): Promise<DefinitionsReport> {
    const report = await viaTemporal(
      () =>
        this.client.workflow.getHandle(toolWorkflowId(tool.name)).executeUpdate(reportToolDefinitionsUpdate, {
          args: [
            {
              seen: seen.map((definition) => ({
                name: definition.name,
                sha256: definitionSha256(definition),
                definition,
              })),
            },
          ],
        }),
      `No tool named "${tool.name}".`,
    );
    this.cache.set(tool.name, { tool: report.tool, at: Date.now() });
    return report;
  }

  /** An admin trusts a quarantined definition: pinned, and its MCP tool an operation with this sensitivity. */
  async acceptDefinition(
    by: Commander,
    name: string,
    accepted: { mcpTool: string; sha256: string; operation: Omit<ToolOperation, 'name'> | null },
  ): Promise<ToolState> {
    const tool = await this.get(name);
    const waiting = tool.mcp?.quarantined.find((q) => q.name === accepted.mcpTool);
    if (!tool.mcp) throw badInput(`${name} is not an MCP tool.`);
    if (!waiting) throw notFound(`No quarantined definition of "${accepted.mcpTool.slice(0, 128)}" on ${name}.`);
    const operation = acceptedOperation(tool, waiting, accepted.operation);
    const problems = validateToolRegistration({
      ...tool,
      operations: [operation],
      upstreamAuth: tool.mcp.upstreamAuth,
    });
    if (problems.length) throw badInput(problems.join('; '));
    const updated = await viaTemporal(
      () =>
        this.commands.send(
          toolWorkflowId(name),
          acceptToolDefinitionUpdate,
          { name: accepted.mcpTool, sha256: accepted.sha256, operation },
          by,
        ),
      `No tool named "${name}".`,
    );
    this.all = null;
    this.cache.set(name, { tool: updated, at: Date.now() });
    return updated;
  }

  async find(name: string): Promise<ToolState | null> {
    if (!isValidToolName(name)) return null;
    const hit = this.cache.get(name);
    const age = hit ? Date.now() - hit.at : Infinity;
    // Never older than CACHE_MS; a tool in steady use is re-read ahead of that, in the background, so
    // requests do not wait on the query.
    if (age < CACHE_MS / 2) return hit!.tool;
    if (age < CACHE_MS) {
      this.read(name).catch(() => undefined); // the next request past CACHE_MS reads (and reports) it
      return hit!.tool;
    }
    return this.read(name);
  }

  private reading = new Map<string, Promise<ToolState | null>>();

  private read(name: string): Promise<ToolState | null> {
    let pending = this.reading.get(name);
    if (!pending) {
      const started = Date.now();
      pending = (async () => {
        try {
          let tool: ToolState | null = null;
          try {
            tool = await viaTemporal(
              () => this.client.workflow.getHandle(toolWorkflowId(name)).query(getToolQuery),
              'missing',
            );
            if (isForeign(tool)) tool = null;
          } catch (err) {
            if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
          }
          // A change this process made while the query ran is newer than its answer.
          const current = this.cache.get(name);
          if (current && current.at >= started) return current.tool;
          this.cache.set(name, { tool, at: Date.now() });
          return tool;
        } finally {
          this.reading.delete(name);
        }
      })();
      this.reading.set(name, pending);
    }
    return pending;
  }

  async get(name: string): Promise<ToolState> {
    const tool = await this.find(name);
    if (!tool) throw notFound(`No tool named "${name.slice(0, 64)}".`);
    return tool;
  }

  async list(): Promise<ToolState[]> {
    if (this.all && Date.now() - this.all.at < CACHE_MS) return this.all.tools;
    const names: string[] = [];
    // This deployment's tools only (namespace + task queue, like the signing-key ring): each one is queried below,
    // and a tool of another deployment may have no worker answering — one unanswered query fails the whole listing.
    for await (const info of this.client.workflow.list({
      query: deploymentClauses('toolWorkflow', this.options.taskQueue).join(' AND '),
    })) {
      names.push(info.workflowId.slice('tool:'.length));
    }
    const tools = (await Promise.all(names.map((n) => this.find(n)))).filter((t): t is ToolState => t !== null);
    tools.sort((a, b) => a.name.localeCompare(b.name));
    this.all = { tools, at: Date.now() };
    return tools;
  }

  async findByResource(resource: string): Promise<ToolState | null> {
    const match = (tools: ToolState[]) => tools.find((t) => t.resource === resource) ?? null;
    const cached = match(await this.list());
    if (cached) return cached;
    this.all = null;
    return match(await this.list());
  }

  /** The upstream secret in clear, for the gateway to inject. Never leaves the process otherwise. */
  async upstreamSecret(tool: ToolState): Promise<string> {
    if (!tool.vault) throw new Error(`tool ${tool.name} has no vaulted secret`);
    return openSecret(this.vault, tool.vault.current.sealed as SealedSecret, toolSecretAad(tool.name));
  }

  async rotateSecret(by: Commander, name: string): Promise<ToolState> {
    if (!isValidToolName(name)) throw notFound(`No tool named "${name.slice(0, 64)}".`);
    const tool = await viaTemporal(
      () => this.commands.send(toolWorkflowId(name), rotateToolSecretUpdate, {}, by),
      `No tool named "${name}".`,
    );
    this.cache.set(name, { tool, at: Date.now() });
    return tool;
  }
}

/** Introspection secrets for tools: random, shown once, stored only as a SHA-256 digest. */
export function newClientSecret(): { secret: string; digest: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, digest: createHash('sha256').update(secret).digest('base64url') };
}

export function secretMatches(secret: string, digest: string): boolean {
  const a = createHash('sha256').update(secret).digest();
  const b = Buffer.from(digest, 'base64url');
  return a.length === b.length && timingSafeEqual(a, b);
}
