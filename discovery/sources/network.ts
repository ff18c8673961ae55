/** The finding shared by network sources (Zeek, Squid): one per source host and, where visible, credential. */
import net from 'node:net';
import {
  canonicalHost,
  matchEndpoint,
  matchPatternRules,
  normalizeHostName,
  ownerEmailFor,
  type DiscoveryConfig,
} from '../config.js';
import { credentialId, redactSecret, redactText, stripAuthScheme } from '../redact.js';
import type { Finding } from '../../domain/discovery.js';

export interface NetworkObservation {
  /** Epoch milliseconds. */
  timeMs: number;
  /** Client address as logged (IP, or a name when the proxy logs FQDNs). */
  client: string;
  /** Destination host name (SNI, Host header, CONNECT target or URL host). */
  destination?: string;
  userAgent?: string;
  method?: string;
  /** URL path (no query string). */
  path?: string;
  /** A credential or credential hint, where the log has one. */
  credential?: string;
  /** The authenticated proxy user, where the log has one. */
  user?: string;
  log: string;
}

/** A valid client address or host name, else undefined (garbage never becomes a finding). */
export function validClient(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (net.isIP(v)) return v.toLowerCase();
  return normalizeHostName(v) && /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(v) ? v.toLowerCase() : undefined;
}

/** The finding for an observation, or undefined when it does not point at an LLM / agent platform. */
export function networkFinding(config: DiscoveryConfig, o: NetworkObservation): Finding | undefined {
  // Most traffic is not to an LLM: decide that first, cheaply.
  const dest = o.destination ? normalizeHostName(o.destination) : undefined;
  const endpoint = dest ? matchEndpoint(config, dest) : undefined;
  const frameworks = o.userAgent ? matchPatternRules(config.agentUserAgents, o.userAgent) : [];
  if (!endpoint && frameworks.length === 0) return undefined;
  const host = canonicalHost(config, o.client);
  if (config.ignore.sourceHosts.some((h) => h.toLowerCase() === o.client || h.toLowerCase() === host)) return undefined;

  const credential = o.credential ? stripAuthScheme(o.credential) : '';
  const credId = credential && credential !== '-' ? credentialId(credential) : undefined;
  const evidence: Record<string, string> = { logs: o.log, clientAddress: o.client };
  if (dest) evidence.endpoints = dest;
  if (endpoint) evidence.providers = endpoint.provider;
  if (frameworks.length) evidence.frameworks = frameworks.map((f) => f.id).join(', ');
  if (o.userAgent) evidence.userAgents = redactText(o.userAgent).slice(0, 200).replaceAll(', ', ' ');
  if (o.method) evidence.methods = o.method.slice(0, 16);
  if (o.path) evidence.uris = redactText(o.path).slice(0, 120).replaceAll(', ', ' ');
  if (credId) {
    evidence.credential = redactSecret(credential);
    evidence.credentialId = credId;
  }
  if (o.user) evidence.users = o.user;

  const finding: Finding = {
    source: 'NETWORK',
    kind: frameworks.length ? 'agent-user-agent' : 'llm-egress',
    fingerprint: credId ? `net:${host}:cred:${credId}` : `net:${host}`,
    agentName: credId ? `LLM client on ${host} (key ${redactSecret(credential)})` : `LLM client on ${host}`,
    platform: endpoint?.provider ?? frameworks[0]?.id ?? 'unknown',
    host,
    evidence,
    firstSeen: new Date(o.timeMs).toISOString(),
    lastSeen: new Date(o.timeMs).toISOString(),
    count: 1,
  };
  if (o.user) {
    finding.user = o.user;
    const owner = ownerEmailFor(config, o.user);
    if (owner) finding.proposedOwnerEmail = owner;
  }
  return finding;
}
