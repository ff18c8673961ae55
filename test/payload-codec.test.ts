/**
 * The payload codec: unit behaviour, and on the run's real Temporal server, that a workflow's input and
 * memo land in history encrypted.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CodecError, createPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, wardenDataConverter } from '../temporal/codec.js';
import { generateKeySpec, parseKeyRing } from '../vault/envelope.js';

const { temporal } = proto;
const oldSpec = generateKeySpec('old');
const newSpec = generateKeySpec('new');
const codec = createPayloadCodec(parseKeyRing(oldSpec));
const secret = () => `sk-live-${randomBytes(16).toString('hex')}`;
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');

async function failure(promise: Promise<unknown>): Promise<CodecError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CodecError) return err;
    throw err;
  }
  throw new Error('expected a CodecError');
}

describe('payload codec', () => {
  it('round-trips several payloads, metadata included', async () => {
    const s = secret();
    const payloads: Payload[] = [
      defaultPayloadConverter.toPayload({ apiKey: s, n: 1 }),
      defaultPayloadConverter.toPayload('just a string'),
      defaultPayloadConverter.toPayload(undefined),
      defaultPayloadConverter.toPayload(new Uint8Array([0, 1, 2, 255])),
      { metadata: { encoding: Buffer.from('json/plain'), custom: Buffer.from('x') }, data: Buffer.from('{}') },
    ];
    const encoded = await codec.encode(payloads);
    expect(encoded).toHaveLength(payloads.length);
    for (const p of encoded) {
      expect(text(p.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(p.metadata?.[KEY_ID_METADATA])).toBe('old');
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ apiKey: s, n: 1 }, 'just a string', undefined, new Uint8Array([0, 1, 2, 255]), {}]);
    expect(text(decoded[4]!.metadata?.custom)).toBe('x');
    for (const p of decoded) expect(p.data).toBeInstanceOf(Uint8Array);
    expect(await codec.encode([])).toEqual([]);
  });

  it('leaves no plaintext in the encoded payload', async () => {
    const s = secret();
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload({ apiKey: s })]);
    const bytes = Buffer.concat([encoded!.data!, ...Object.values(encoded!.metadata!).map((v) => Buffer.from(v!))]);
    expect(bytes.includes(s)).toBe(false);
    expect(bytes.includes('apiKey')).toBe(false);
    expect(bytes.includes('json/plain')).toBe(false);
  });

  it('encrypts the same payload differently each time', async () => {
    const p = defaultPayloadConverter.toPayload('same');
    const [a] = await codec.encode([p]);
    const [b] = await codec.encode([p]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('refuses a payload encrypted with a key it does not have', async () => {
    const encoded = await createPayloadCodec(parseKeyRing(newSpec)).encode([defaultPayloadConverter.toPayload(secret())]);
    const err = await failure(codec.decode(encoded));
    expect(err.code).toBe('codec_unknown_key');
    expect(err.message).toContain('"new"');
  });

  it('refuses tampered payloads instead of returning garbage', async () => {
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(secret())]);
    const data = Buffer.from(encoded!.data!);
    for (const at of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const copy = Buffer.from(data);
      copy[at]! ^= 0x01;
      expect((await failure(codec.decode([{ ...encoded!, data: copy }]))).code).toBe('codec_tampered');
    }
    expect((await failure(codec.decode([{ ...encoded!, data: data.subarray(0, 20) }]))).code).toBe('codec_malformed');
    // Claiming another key id of the ring does not help either.
    const both = createPayloadCodec(parseKeyRing(`${newSpec},${oldSpec}`));
    const relabelled = { ...encoded!, metadata: { ...encoded!.metadata, [KEY_ID_METADATA]: Buffer.from('new') } };
    expect((await failure(both.decode([relabelled]))).code).toBe('codec_tampered');
    const unlabelled = { ...encoded!, metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) } };
    expect((await failure(codec.decode([unlabelled]))).code).toBe('codec_malformed');
  });

  it('passes through payloads that were never encrypted', async () => {
    const plain = [defaultPayloadConverter.toPayload({ written: 'before encryption' }), defaultPayloadConverter.toPayload(null), { data: Buffer.from('no metadata') }];
    const decoded = await codec.decode(plain);
    expect(decoded).toEqual(plain);
  });

  it('still decodes the old key after rotation (ring "new,old"), and encrypts with the new one', async () => {
    const s = secret();
    const before = await codec.encode([defaultPayloadConverter.toPayload(s)]);
    const rotated = createPayloadCodec(parseKeyRing(`${newSpec},${oldSpec}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode(before))[0]!)).toBe(s);
    const after = await rotated.encode([defaultPayloadConverter.toPayload(s)]);
    expect(text(after[0]!.metadata?.[KEY_ID_METADATA])).toBe('new');
    expect((await failure(codec.decode(after))).code).toBe('codec_unknown_key');
  });

  it('builds a data converter with the codec', () => {
    expect(wardenDataConverter(codec)).toEqual({ payloadCodecs: [codec] });
  });
});

describe('payload codec on a real Temporal server', () => {
  let connection: Connection;
  let client: Client;
  const workflowId = `codec-probe-${randomUUID()}`;
  const controlId = `codec-probe-control-${randomUUID()}`;

  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection, namespace: 'default', dataConverter: wardenDataConverter(codec) });
  });
  afterAll(async () => {
    for (const id of [workflowId, controlId]) await client?.workflow.getHandle(id).terminate('test done').catch(() => undefined);
    await connection?.close();
  });

  async function rawHistory(id: string) {
    const raw = await client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: id } });
    return { raw, bytes: Buffer.from(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(raw).finish()) };
  }

  it('(control) without the codec, the same check finds the secret in history', async () => {
    const s = secret();
    const plainClient = new Client({ connection, namespace: 'default' });
    await plainClient.workflow.start('codecProbe', { workflowId: controlId, taskQueue: `codec-probe-${randomUUID()}`, args: [{ apiKey: s }] });
    expect((await rawHistory(controlId)).bytes.includes(s)).toBe(true);
  });

  it('keeps a workflow argument and memo unreadable in history', async () => {
    const s = secret();
    // No worker runs this type: only what the client wrote to history matters.
    await client.workflow.start('codecProbe', {
      workflowId,
      taskQueue: `codec-probe-${randomUUID()}`,
      args: [{ tool: 'github', apiKey: s }],
      memo: { note: `memo ${s}` },
    });

    // Raw history, straight from the service: no data converter involved.
    const { raw, bytes } = await rawHistory(workflowId);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(s)).toBe(false);
    expect(bytes.includes(Buffer.from(s).toString('base64'))).toBe(false);
    expect(JSON.stringify(raw)).not.toContain(s);

    const started = raw.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
    const [input] = started?.input?.payloads ?? [];
    expect(text(input?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    const [decoded] = await codec.decode([input!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ tool: 'github', apiKey: s });

    const memo = started?.memo?.fields?.note;
    expect(text(memo?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    // And the codec client reads the memo back.
    const description = await client.workflow.getHandle(workflowId).describe();
    expect(description.memo).toEqual({ note: `memo ${s}` });
  });
});
