/**
 * Every recorded history (test/fixtures/histories, from `npm run record:histories`) replays on today's
 * workflows, with the SDK's replayer: a change that would break a running workflow fails here. A workflow
 * change that needs versioning records its histories first (see risk/README.md and test/histories/record.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { createPayloadCodec, wardenDataConverter } from '../vault/payload-codec.js';
import { parseKeyRing } from '../vault/envelope.js';
import * as workflows from '../workflows/index.js';
import { HISTORIES, HISTORIES_CODEC_KEYS, type RecordedHistory } from './histories/fixtures.js';

const files = fs
  .readdirSync(HISTORIES)
  .filter((f) => f.endsWith('.json'))
  .sort();
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8')) as RecordedHistory;
const typeOf = (file: string) =>
  read(file).history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;

// The fixtures' own codec key: their payloads are encrypted as every Warden payload is.
const dataConverter = wardenDataConverter(
  createPayloadCodec(parseKeyRing(fs.readFileSync(HISTORIES_CODEC_KEYS, 'utf8').trim())),
);
// Workflow code reports failpoints and refusals through sinks; a replay calls neither.
const sinks = {
  failpoints: { reached: { fn: () => {}, callDuringReplay: false } },
  refusals: { refused: { fn: () => {}, callDuringReplay: false } },
};
const options = (workflowBundle: ReplayWorkerOptions['workflowBundle']): ReplayWorkerOptions => ({
  workflowBundle,
  dataConverter,
  sinks,
});

describe('recorded histories replay on the current workflows', () => {
  it('the recorded set covers every workflow type Warden runs', () => {
    expect(new Set(files.map(typeOf))).toEqual(new Set(Object.keys(workflows)));
  });

  it.each(files)('%s', async (file) => {
    const { workflowId, history } = read(file);
    await Worker.runReplayHistory(options({ codePath: inject('workflowBundle') }), history, workflowId);
  });

  it('a workflow that no longer does what its history recorded fails to replay', async () => {
    const diverged = await bundleWorkflowCode({
      workflowsPath: path.join(import.meta.dirname, 'histories', 'diverged-workflows.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const person = read(files.find((f) => typeOf(f) === 'personWorkflow')!);
    await expect(Worker.runReplayHistory(options(diverged), person.history, person.workflowId)).rejects.toMatchObject({
      name: 'DeterminismViolationError',
    });
  });
});
