/**
 * What discovery looks for, and its limits. Plain JSON-serializable data (it can travel as a Temporal
 * activity argument); patterns are strings. `discoveryConfig(overrides)` fills in the defaults.
 */

export interface EndpointRule {
  /**
   * A host name; `*` matches within one DNS label (`*-aiplatform.googleapis.com`, `bedrock-runtime.*.amazonaws.com`).
   */
  host: string;
  provider: string;
}

export interface PatternRule {
  /** Stable id, used in fingerprints and evidence (`langchain`, `crewai`, …). */
  id: string;
  /** A regular expression, case-insensitive unless `caseSensitive`. */
  pattern: string;
  caseSensitive?: boolean;
}

export interface ExtensionRule {
  id: string;
  name: string;
}

export interface DiscoveryConfig {
  /** LLM and agent-platform API hosts. */
  llmEndpoints: EndpointRule[];
  /** User agents of agent frameworks and LLM SDKs (matched against the whole User-Agent). */
  agentUserAgents: PatternRule[];
  /** Browser extensions that are AI assistants / agents. */
  aiExtensions: {
    /** Known extension ids (Chrome Web Store ids, Firefox add-on ids). */
    ids: ExtensionRule[];
    /** Name patterns (case-insensitive regular expressions) matched against the extension's name. */
    namePatterns: string[];
    /** Permissions that let an extension act on pages (reported as `agentic` evidence). */
    agenticPermissions: string[];
  };
  /** MCP servers in process command lines (the server id is derived from the package, see `mcpServerId`). */
  mcpServerPatterns: string[];
  /** Agent runtimes in process command lines. */
  agentRuntimes: PatternRule[];
  ignore: {
    /** Source hosts (IPs or names) whose traffic is not reported (e.g. the Warden gateway itself). */
    sourceHosts: string[];
    /** MCP server ids (`npm:…`, `pypi:…`, `url:…`) that are sanctioned. */
    mcpServerIds: string[];
    /** Extension ids that are sanctioned. */
    extensionIds: string[];
  };
  /** Canonical host names: IP or alias → host name (so network and endpoint evidence can meet). */
  hostAliases: Record<string, string>;
  /** Proposed owner for a user name: an explicit map first, then `<user>@<ownerEmailDomain>`. */
  userEmails: Record<string, string>;
  ownerEmailDomain?: string;
  limits: {
    /** Longer lines / JSON elements are counted as malformed and skipped (memory stays bounded). */
    maxLineBytes: number;
    /** Larger config files are counted as malformed. */
    maxConfigBytes: number;
    /** Call onProgress every this many records. */
    progressEvery: number;
    /** At most this many error messages are kept on progress. */
    maxErrors: number;
    /** Directory depth limit for config trees. */
    maxDepth: number;
  };
  cloud: {
    pageSize: number;
    /** A server that keeps returning a next page token is stopped after this many pages (per target). */
    maxPages: number;
    requestTimeoutMs: number;
    /** Retries of a 5xx / 429 / timeout / network error (so at most maxRetries + 1 attempts). */
    maxRetries: number;
    retryBaseDelayMs: number;
    retryMaxDelayMs: number;
    /** Labels / tags naming a resource's owner or creator, in order of preference. */
    ownerLabelKeys: string[];
  };
}

export const defaultDiscoveryConfig: DiscoveryConfig = {
  llmEndpoints: [
    { host: 'api.openai.com', provider: 'openai' },
    { host: 'api.anthropic.com', provider: 'anthropic' },
    { host: 'generativelanguage.googleapis.com', provider: 'google-gemini' },
    { host: 'aiplatform.googleapis.com', provider: 'google-vertex-ai' },
    { host: '*-aiplatform.googleapis.com', provider: 'google-vertex-ai' },
    { host: 'bedrock-runtime.*.amazonaws.com', provider: 'aws-bedrock' },
    { host: 'bedrock-runtime-fips.*.amazonaws.com', provider: 'aws-bedrock' },
    { host: 'bedrock-agent-runtime.*.amazonaws.com', provider: 'aws-bedrock-agents' },
    { host: '*.openai.azure.com', provider: 'azure-openai' },
    { host: '*.services.ai.azure.com', provider: 'azure-ai-foundry' },
    { host: '*.cognitiveservices.azure.com', provider: 'azure-ai' },
    { host: 'api.mistral.ai', provider: 'mistral' },
    { host: 'api.cohere.ai', provider: 'cohere' },
    { host: 'api.cohere.com', provider: 'cohere' },
    { host: 'openrouter.ai', provider: 'openrouter' },
    { host: 'api.groq.com', provider: 'groq' },
    { host: 'api.together.xyz', provider: 'together' },
    { host: 'api.together.ai', provider: 'together' },
    { host: 'api.fireworks.ai', provider: 'fireworks' },
    { host: 'api.deepseek.com', provider: 'deepseek' },
    { host: 'api.perplexity.ai', provider: 'perplexity' },
    { host: 'api.x.ai', provider: 'xai' },
    { host: 'api-inference.huggingface.co', provider: 'huggingface' },
    { host: 'router.huggingface.co', provider: 'huggingface' },
    { host: 'api.replicate.com', provider: 'replicate' },
  ],
  agentUserAgents: [
    { id: 'langchain', pattern: 'langchain' },
    { id: 'langgraph', pattern: 'langgraph' },
    { id: 'llamaindex', pattern: 'llama[-_ ]?index' },
    { id: 'autogen', pattern: 'autogen|\\bag2\\b' },
    { id: 'crewai', pattern: 'crewai' },
    { id: 'openai-agents', pattern: 'openai-agents|Agents/Python' },
    { id: 'openai-sdk', pattern: '^OpenAI/(Python|JS)\\b|openai-python|openai-node' },
    { id: 'anthropic-sdk', pattern: '^Anthropic/(Python|JS)\\b|anthropic-sdk|anthropic-typescript|claude-agent-sdk' },
    { id: 'claude-code', pattern: 'claude-cli|claude-code' },
    { id: 'google-adk', pattern: 'google-adk|\\badk/' },
    { id: 'google-genai', pattern: 'google-genai-sdk|genai-js' },
    { id: 'semantic-kernel', pattern: 'semantic-kernel' },
    { id: 'haystack', pattern: 'haystack' },
    { id: 'smolagents', pattern: 'smolagents' },
    { id: 'pydantic-ai', pattern: 'pydantic-ai' },
    { id: 'vercel-ai-sdk', pattern: '\\bai-sdk/' },
    { id: 'litellm', pattern: 'litellm' },
    { id: 'mcp-client', pattern: '\\bmcp(-client)?/|modelcontextprotocol' },
  ],
  aiExtensions: {
    ids: [
      { id: 'fcoeoabgfenejglbffodgkkbkcdhcgfn', name: 'Claude (Anthropic)' },
      { id: 'ofpnmcalabcbjgholdjcjblkibolbppb', name: 'Monica' },
      { id: 'difoiogjjojoaoomphldepapgpbgkhkb', name: 'Sider' },
      { id: 'camppjleccjaphfdbohjdohecfnoikec', name: 'Merlin' },
      { id: 'eanggfilgoajaocelnaflolkadkeghjp', name: 'HARPA AI' },
      { id: 'mhnlakgilnojmhinhkckjpncpbhabphi', name: 'MaxAI' },
    ],
    namePatterns: [
      'chat ?gpt',
      '\\bgpt\\b',
      '\\bopenai\\b',
      '\\bclaude\\b',
      '\\banthropic\\b',
      '\\bgemini\\b',
      '\\bcopilot\\b',
      '\\bperplexity\\b',
      '\\bai (assistant|agent|copilot|sidebar|browser agent)\\b',
      '\\b(llm|genai)\\b',
      '\\bbrowser (use|agent)\\b',
    ],
    agenticPermissions: [
      '<all_urls>',
      'debugger',
      'scripting',
      'tabs',
      'webRequest',
      'nativeMessaging',
      'cookies',
      'history',
    ],
  },
  mcpServerPatterns: [
    '@modelcontextprotocol/server-',
    '(^|[/\\s@])mcp-server-',
    '-mcp-server\\b',
    '(^|[/\\s])[\\w.-]*-mcp(\\s|$|@)',
    '@[\\w.-]+/mcp(-[\\w.-]+)?(\\s|$|@)',
    '\\bfastmcp\\b',
    '\\bmcp (run|dev)\\b',
    'github-mcp-server',
  ],
  agentRuntimes: [
    { id: 'langgraph', pattern: '\\blanggraph (dev|up)\\b|langgraph_api' },
    { id: 'crewai', pattern: '\\bcrewai (run|flow)\\b' },
    { id: 'autogen', pattern: 'autogenstudio|\\-m autogen' },
    { id: 'claude-code', pattern: '(^|/)claude( |$)|@anthropic-ai/claude-code', caseSensitive: true },
    { id: 'openai-codex', pattern: '(^|/)codex(\\s|$)|@openai/codex' },
    { id: 'aider', pattern: '(^|/)aider(\\s|$)|-m aider\\b' },
    { id: 'open-interpreter', pattern: '(^|/)interpreter(\\s|$)|open-interpreter' },
    { id: 'goose', pattern: '(^|/)goose (session|run)\\b' },
    { id: 'gemini-cli', pattern: '@google/gemini-cli|(^|/)gemini( |$)', caseSensitive: true },
    { id: 'google-adk', pattern: '(^|/)adk (web|run|api_server)\\b' },
    { id: 'auto-gpt', pattern: 'autogpt' },
    { id: 'ollama', pattern: '(^|/)ollama serve\\b' },
  ],
  ignore: { sourceHosts: [], mcpServerIds: [], extensionIds: [] },
  hostAliases: {},
  userEmails: {},
  limits: { maxLineBytes: 64 * 1024, maxConfigBytes: 1024 * 1024, progressEvery: 1000, maxErrors: 50, maxDepth: 12 },
  cloud: {
    pageSize: 100,
    maxPages: 1000,
    requestTimeoutMs: 15_000,
    maxRetries: 3,
    retryBaseDelayMs: 500,
    retryMaxDelayMs: 10_000,
    ownerLabelKeys: ['owner', 'owner-email', 'created-by', 'creator', 'contact'],
  },
};

export interface DiscoveryConfigOverrides {
  llmEndpoints?: EndpointRule[];
  agentUserAgents?: PatternRule[];
  aiExtensions?: Partial<DiscoveryConfig['aiExtensions']>;
  mcpServerPatterns?: string[];
  agentRuntimes?: PatternRule[];
  ignore?: Partial<DiscoveryConfig['ignore']>;
  hostAliases?: Record<string, string>;
  userEmails?: Record<string, string>;
  ownerEmailDomain?: string;
  limits?: Partial<DiscoveryConfig['limits']>;
  cloud?: Partial<DiscoveryConfig['cloud']>;
}

/** The defaults with `overrides` applied (lists replace, nested objects merge). */
export function discoveryConfig(overrides: DiscoveryConfigOverrides = {}): DiscoveryConfig {
  const d = defaultDiscoveryConfig;
  const config: DiscoveryConfig = {
    llmEndpoints: overrides.llmEndpoints ?? d.llmEndpoints,
    agentUserAgents: overrides.agentUserAgents ?? d.agentUserAgents,
    aiExtensions: { ...d.aiExtensions, ...overrides.aiExtensions },
    mcpServerPatterns: overrides.mcpServerPatterns ?? d.mcpServerPatterns,
    agentRuntimes: overrides.agentRuntimes ?? d.agentRuntimes,
    ignore: { ...d.ignore, ...overrides.ignore },
    hostAliases: { ...d.hostAliases, ...overrides.hostAliases },
    userEmails: { ...d.userEmails, ...overrides.userEmails },
    limits: { ...d.limits, ...overrides.limits },
    cloud: { ...d.cloud, ...overrides.cloud },
  };
  const domain = overrides.ownerEmailDomain ?? d.ownerEmailDomain;
  if (domain !== undefined) config.ownerEmailDomain = domain;
  return config;
}

// ── matching helpers ───────────────────────────────────────────────────────────────────────────────

const regexCache = new Map<string, RegExp>();

/** A cached case-insensitive RegExp for a config pattern (an invalid pattern never matches). */
export function patternRegExp(pattern: string, caseSensitive = false): RegExp {
  const key = `${caseSensitive ? 'cs' : 'ci'}:${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    try {
      re = new RegExp(pattern, caseSensitive ? '' : 'i');
    } catch {
      re = /(?!)/;
    }
    regexCache.set(key, re);
  }
  return re;
}

function hostGlobRegExp(glob: string): RegExp {
  const key = `host:${glob}`;
  let re = regexCache.get(key);
  if (!re) {
    const body = glob
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[a-z0-9-]+');
    re = new RegExp(`^${body}$`);
    regexCache.set(key, re);
  }
  return re;
}

/** Lower-cased host without port, brackets or trailing dot; undefined when it is not a plausible host. */
export function normalizeHostName(value: string): string | undefined {
  let h = value.trim().toLowerCase();
  if (h.startsWith('[')) {
    const close = h.indexOf(']');
    h = close > 0 ? h.slice(1, close) : h;
  } else if ((h.match(/:/g) ?? []).length === 1) h = h.slice(0, h.indexOf(':'));
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.length === 0 || h.length > 253) return undefined;
  if (!/^[a-z0-9.:_-]+$/.test(h)) return undefined;
  return h;
}

/** Per configuration: destination host → its rule (or null). Traffic repeats hosts, so most lines are one lookup. */
const endpointCache = new WeakMap<DiscoveryConfig, Map<string, EndpointRule | null>>();
const ENDPOINT_CACHE_MAX = 50_000;

/** The provider of an LLM/agent-platform host, or undefined. */
export function matchEndpoint(config: DiscoveryConfig, host: string): EndpointRule | undefined {
  let cache = endpointCache.get(config);
  if (!cache) endpointCache.set(config, (cache = new Map()));
  const hit = cache.get(host);
  if (hit !== undefined) return hit ?? undefined;
  const h = normalizeHostName(host);
  const rule = h
    ? config.llmEndpoints.find((r) =>
        r.host.includes('*') ? hostGlobRegExp(r.host).test(h) : r.host.toLowerCase() === h,
      )
    : undefined;
  if (cache.size >= ENDPOINT_CACHE_MAX) cache.clear();
  cache.set(host, rule ?? null);
  return rule;
}

export function matchPatternRules(rules: PatternRule[], text: string): PatternRule[] {
  return rules.filter((r) => patternRegExp(r.pattern, r.caseSensitive).test(text));
}

/** The canonical name of a host (through `hostAliases`), lower-cased. */
export function canonicalHost(config: DiscoveryConfig, host: string): string {
  const h = host.trim().toLowerCase();
  return (config.hostAliases[h] ?? config.hostAliases[host.trim()] ?? h).toLowerCase();
}

/** A proposed owner e-mail for a user name, if configuration or the name itself gives one. */
const SYSTEM_USERS = new Set([
  'root',
  'system',
  'daemon',
  'nobody',
  'administrator',
  'admin',
  'local service',
  'network service',
  'www-data',
  '-',
]);

export function ownerEmailFor(config: DiscoveryConfig, user: string | undefined): string | undefined {
  if (!user || SYSTEM_USERS.has(user.toLowerCase()) || user.startsWith('_')) return undefined;
  const mapped = config.userEmails[user] ?? config.userEmails[user.toLowerCase()];
  if (mapped) return mapped;
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user)) return user.toLowerCase();
  if (config.ownerEmailDomain && /^[a-z0-9._-]+$/i.test(user) && !user.startsWith('uid:')) {
    return `${user.toLowerCase()}@${config.ownerEmailDomain}`;
  }
  return undefined;
}
