/**
 * Audit entries for grant decisions, as JSON lines in the data folder. A first sink: the enforcement
 * issue replaces it with OCSF events in CloudEvents envelopes, hash-chained, with more sinks.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface AuditEntry {
  at: string;
  /** e.g. grant.issued, grant.refused, token.issued, token.refused */
  action: string;
  outcome: 'success' | 'failure';
  agentId?: string;
  actor?: string;
  tool?: string;
  operations?: string[];
  reason?: string;
  jti?: string;
}

export class AuditLog {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'audit', 'audit.jsonl');
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
  }

  record(entry: Omit<AuditEntry, 'at'>): void {
    fs.appendFileSync(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
  }

  /** Every entry (tests and small deployments; the enforcement issue adds a queryable store). */
  read(): AuditEntry[] {
    if (!fs.existsSync(this.file)) return [];
    return fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry);
  }
}
