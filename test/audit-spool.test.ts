/**
 * The API's audit spool (api/services/audit-spool.ts): records are on disk before a request answers,
 * shipped in batches, each once and in order; a failed shipment is retried; a process killed before it
 * shipped leaves a spool the next process ships — torn last line ignored, live processes' spools untouched.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditSpool } from '../api/services/audit-spool.js';
import type { AuditItem } from '../workflows/audit-trail.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-spool-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const item = (id: string): AuditItem => ({
  id,
  at: new Date(0).toISOString(),
  input: { kind: 'token.issued', agentId: 'a', actor: { kind: 'agent', id: 'a' }, message: id, jti: id } as never,
});

describe('audit spool', () => {
  it('ships every record once, in order, in batches; the file is on disk before shipping and emptied after', async () => {
    const dir = tempDir();
    const batches: string[][] = [];
    const spool = new AuditSpool(dir, async (items) => void batches.push(items.map((i) => i.id)), {
      flushMs: 20,
      batchMax: 200,
    });
    for (let i = 0; i < 450; i++) spool.append(item(`r${i}`));
    const [file] = fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
    expect(fs.readFileSync(path.join(dir, file!), 'utf8').trim().split('\n')).toHaveLength(450);
    expect(await spool.flush()).toBe(true);
    expect(batches.flat()).toEqual(Array.from({ length: 450 }, (_, i) => `r${i}`));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(200);
    expect(fs.statSync(path.join(dir, file!)).size).toBe(0);
    await spool.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('retries a failed shipment and loses nothing', async () => {
    const dir = tempDir();
    let failures = 2;
    const shipped: string[] = [];
    const spool = new AuditSpool(
      dir,
      async (items) => {
        if (failures-- > 0) throw new Error('Temporal is away');
        shipped.push(...items.map((i) => i.id));
      },
      { flushMs: 5, retryMs: 20, log: () => {} },
    );
    spool.append(item('a'));
    spool.append(item('b'));
    expect(await spool.flush(5_000)).toBe(true);
    expect(shipped).toEqual(['a', 'b']);
    await spool.close();
  });

  it("a killed process's unshipped records are shipped by the next one; a live process's spool is left alone", async () => {
    const dir = tempDir();
    const live = new AuditSpool(dir, () => new Promise(() => {}), { flushMs: 60_000, log: () => {} });
    live.append(item('live-1'));
    // Another spool open in this same process (two API servers in one process): not an orphan either.
    const sibling = new AuditSpool(dir, () => new Promise(() => {}), { flushMs: 60_000, log: () => {} });
    sibling.append(item('sibling-1'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/processes/spool-then-wait.ts', dir, '3'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('spooled') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    const childFile = fs.readdirSync(dir).find((n) => n.startsWith(`${child.pid}-`) && n.endsWith('.jsonl'))!;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The kill landed mid-write of a fourth record.
    fs.appendFileSync(path.join(dir, childFile), '{"id":"killed/3","at":"1970-');

    const shipped: string[] = [];
    const n = await AuditSpool.adoptOrphans(dir, async (items) => void shipped.push(...items.map((i) => i.id)));
    expect(n).toBe(3);
    expect(shipped).toEqual(['killed/0', 'killed/1', 'killed/2']);
    expect(fs.readdirSync(dir).some((f) => f.startsWith(`${child.pid}-`))).toBe(false);
    // Adopting again ships nothing more; the live spool (this process's) was not touched.
    expect(await AuditSpool.adoptOrphans(dir, async (items) => void shipped.push(...items.map((i) => i.id)))).toBe(0);
    expect(shipped).toHaveLength(3);
    const left = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    expect(left).toHaveLength(2);
    expect(left.filter((t) => t.includes('"live-1"'))).toHaveLength(1);
    expect(left.filter((t) => t.includes('"sibling-1"'))).toHaveLength(1);
  });
});
