/**
 * tsx bench/profile/replay.ts [FILE…] — what replaying a history costs a worker: what a workflow evicted from
 * the cache pays on its next task. Replays each recorded history (test/fixtures/histories, the agents' by
 * default) BENCH_PROFILE_REPLAYS times (default 20) on a workflow bundle built as the worker's is, and
 * prints wall time and CPU per replay beside the history's length and its routine decisions (Updates).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { createPayloadCodec, wardenDataConverter } from '../../vault/payload-codec.js';
import { parseKeyRing } from '../../vault/envelope.js';
import { HISTORIES, HISTORIES_CODEC_KEYS, type RecordedHistory } from '../../test/histories/fixtures.js';

const REPLAYS = Number(process.env.BENCH_PROFILE_REPLAYS ?? 20);
Runtime.install({ logger: new DefaultLogger('WARN') });
const bundle = await buildWorkflowBundle(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-replay-')), 'b.js'));
const dataConverter = wardenDataConverter(
  createPayloadCodec(parseKeyRing(fs.readFileSync(HISTORIES_CODEC_KEYS, 'utf8').trim())),
);
// A replay calls no sink; the worker's are declared so the bundle finds them.
const sinks = {
  failpoints: { reached: { fn: () => {}, callDuringReplay: false } },
  refusals: { refused: { fn: () => {}, callDuringReplay: false } },
};
const files = process.argv.length > 2 ? process.argv.slice(2) : agentHistories();
const rows: Record<string, Record<string, number>> = {};
for (const file of files) {
  const { workflowId, history } = JSON.parse(fs.readFileSync(file, 'utf8')) as RecordedHistory;
  async function* again() {
    for (let i = 0; i < REPLAYS; i++) yield { workflowId, history };
  }
  const t = performance.now();
  const cpu = process.cpuUsage();
  for await (const r of Worker.runReplayHistories(
    { workflowBundle: { codePath: bundle }, dataConverter, sinks },
    again(),
  ))
    if (r.error) throw r.error;
  const used = process.cpuUsage(cpu);
  rows[path.basename(file)] = {
    events: history.events.length,
    updates: history.events.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED').length,
    msPerReplay: Math.round(((performance.now() - t) / REPLAYS) * 10) / 10,
    cpuMsPerReplay: Math.round(((used.user + used.system) / 1000 / REPLAYS) * 10) / 10,
  };
}
console.log(`${REPLAYS} replays of each history:`);
console.table(rows);

/** The latest recording of each agent history. */
function agentHistories(): string[] {
  const latest = new Map<string, string>();
  for (const f of fs.readdirSync(HISTORIES).sort()) {
    const m = /^[0-9a-f]+\.(agent\..+\.json)$/.exec(f);
    if (m) latest.set(m[1]!, path.join(HISTORIES, f));
  }
  return [...latest.values()];
}
