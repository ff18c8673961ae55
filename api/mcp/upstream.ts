/**
 * Warden as an MCP client of each registered MCP server (the upstream), with the official SDK: one
 * connected client per tool, negotiating the revision the upstream speaks. Every request carries the
 * upstream credential Warden holds for that tool — its vaulted secret, or a grant Warden signed for the
 * upstream's audience — and never the agent's own token, which the upstream never sees.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Client,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  StreamableHTTPClientTransport,
  type CallToolResult,
} from '@modelcontextprotocol/client';
import type { McpToolDefinition, ToolState } from '../../domain/tools.js';

/** The credential for one upstream request, decided by the caller (per call for grants). */
export interface UpstreamCredential {
  header: string;
  value: string;
}

export class UpstreamError extends Error {
  constructor(
    readonly code: 'upstream_unreachable' | 'upstream_timeout' | 'upstream_invalid',
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

const MAX_TOOLS = 1000;

interface Connection {
  client: Client;
  ready: Promise<void>;
  upstreamUrl: string;
}

export class McpUpstreams {
  private readonly connections = new Map<string, Connection>();
  /** The credential of the request being sent, for the transport's fetch (which the SDK calls for us). */
  private readonly credential = new AsyncLocalStorage<UpstreamCredential | null>();

  constructor(private readonly options: { timeoutMs: number; clientInfo: { name: string; version: string } }) {}

  private connection(tool: ToolState): Connection {
    const existing = this.connections.get(tool.name);
    if (existing && existing.upstreamUrl === tool.upstreamUrl) return existing;
    if (existing) this.drop(tool.name, existing);
    const url = new URL(tool.upstreamUrl!);
    const client = new Client(this.options.clientInfo, { versionNegotiation: { mode: 'auto' } });
    const transport = new StreamableHTTPClientTransport(url, {
      redirectPolicy: 'same-origin',
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        const credential = this.credential.getStore();
        if (credential) headers.set(credential.header, credential.value);
        return fetch(input, { ...init, headers, redirect: 'manual' });
      },
    });
    const connection: Connection = {
      client,
      upstreamUrl: tool.upstreamUrl!,
      ready: Promise.resolve(),
    };
    connection.ready = client.connect(transport, { timeout: this.options.timeoutMs });
    connection.ready.catch(() => this.drop(tool.name, connection));
    this.connections.set(tool.name, connection);
    return connection;
  }

  private drop(name: string, connection: Connection) {
    if (this.connections.get(name) === connection) this.connections.delete(name);
    connection.client.close().catch(() => undefined);
  }

  /**
   * Runs `use` on the tool's client with `credential` on its requests. A connection that failed is
   * dropped and opened again once (an upstream that restarted, a legacy session it forgot) — while
   * connecting, or for an idempotent `use`; a tools/call that may have reached the upstream is never sent
   * twice.
   */
  private async with<T>(
    tool: ToolState,
    credential: UpstreamCredential | null,
    use: (client: Client) => Promise<T>,
    idempotent: boolean,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let connection: Connection | null = null;
      let sent = false;
      try {
        // Connecting runs in the caller's context too: the handshake carries the credential.
        return await this.credential.run(credential, async () => {
          connection = this.connection(tool);
          await connection.ready;
          sent = true;
          return use(connection.client);
        });
      } catch (err) {
        const failure = classify(err, tool);
        // Only a connection that failed is worth a second try; an answer (even a wrong one) is final.
        const retry =
          failure instanceof UpstreamError &&
          failure.code === 'upstream_unreachable' &&
          attempt === 0 &&
          (idempotent || !sent);
        if (connection) this.drop(tool.name, connection);
        if (!retry) throw failure;
      }
    }
  }

  /** Every tool the upstream lists (all pages), as definitions to pin and compare. */
  async listTools(tool: ToolState, credential: UpstreamCredential | null): Promise<McpToolDefinition[]> {
    return this.with(
      tool,
      credential,
      async (client) => {
        const tools: McpToolDefinition[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.listTools(cursor ? { cursor } : undefined, {
            timeout: this.options.timeoutMs,
            cache: 'no-store',
          } as never);
          for (const t of page.tools) tools.push(definitionOf(t as unknown as McpToolDefinition));
          cursor = page.nextCursor;
          if (tools.length > MAX_TOOLS)
            throw new UpstreamError('upstream_invalid', `${tool.name} lists more than ${MAX_TOOLS} tools.`);
        } while (cursor);
        return tools;
      },
      true,
    );
  }

  /** Calls one tool upstream; progress notifications the upstream sends are handed to `onprogress`. */
  async callTool(
    tool: ToolState,
    credential: UpstreamCredential | null,
    call: { name: string; arguments: Record<string, unknown> },
    options: { signal?: AbortSignal; onprogress?: (progress: { progress: number; total?: number }) => void },
  ): Promise<CallToolResult> {
    return this.with(
      tool,
      credential,
      (client) =>
        client.callTool(
          { name: call.name, arguments: call.arguments },
          {
            timeout: this.options.timeoutMs,
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.onprogress ? { onprogress: options.onprogress, resetTimeoutOnProgress: true } : {}),
          },
        ) as Promise<CallToolResult>,
      false,
    );
  }

  async close(): Promise<void> {
    const all = [...this.connections.entries()];
    this.connections.clear();
    await Promise.all(all.map(([, c]) => c.client.close().catch(() => undefined)));
  }
}

/** The parts of a listed tool that define it (what an agent's model reads and what it may send). */
export function definitionOf(tool: McpToolDefinition): McpToolDefinition {
  return {
    name: tool.name,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
    ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
  };
}

function classify(err: unknown, tool: ToolState): UpstreamError | ProtocolError {
  // The upstream's own JSON-RPC error (unknown tool, invalid params, …) is its answer: the agent gets it.
  if (err instanceof ProtocolError || err instanceof UpstreamError) return err;
  if (err instanceof SdkError) {
    if (err.code === SdkErrorCode.RequestTimeout)
      return new UpstreamError('upstream_timeout', `${tool.name} did not answer in time.`);
    if (err.code === SdkErrorCode.InvalidResult || err.code === SdkErrorCode.UnsupportedResultType)
      return new UpstreamError('upstream_invalid', `${tool.name} answered with something that is not MCP.`);
  }
  if (/timed? ?out|aborted/i.test(String((err as Error)?.message)))
    return new UpstreamError('upstream_timeout', `${tool.name} did not answer in time.`);
  return new UpstreamError('upstream_unreachable', `${tool.name} could not be reached or did not answer in MCP.`);
}
