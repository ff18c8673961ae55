/**
 * The payload codec: unit behaviour, and on the run's real Temporal server, that a workflow's input and
 * memo land in history encrypted.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CodecError,
  createPayloadCodec,
  ENCRYPTED_ENCODING,
  ENCRYPTION_ORIGIN_METADATA,
  KEY_ID_METADATA,
  wardenDataConverter,
} from '../vault/payload-codec.js';
import { FOREIGN_KEY, isForeign } from '../temporal/payload-origin.js';
import { generateKeySpec, parseKeyRing } from '../vault/envelope.js';

const { temporal } = proto;
const oldSpec = generateKeySpec('old');
const newSpec = generateKeySpec('new');
const codec = createPayloadCodec(parseKeyRing(oldSpec));
// The codec server's decoder: for people to read, it throws on what it cannot decrypt.
const reveal = createPayloadCodec(parseKeyRing(oldSpec), { decode: 'reveal' });
/** What a worker's or client's decoder makes of a payload: its value, or a foreign payload. */
const valueOf = async (c: ReturnType<typeof createPayloadCodec>, p: Payload) =>
  defaultPayloadConverter.fromPayload((await c.decode([p]))[0]!);
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
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      { apiKey: s, n: 1 },
      'just a string',
      undefined,
      new Uint8Array([0, 1, 2, 255]),
      {},
    ]);
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
    const s = secret();
    const encoded = await createPayloadCodec(parseKeyRing(newSpec)).encode([defaultPayloadConverter.toPayload(s)]);
    const err = await failure(reveal.decode(encoded));
    expect(err.code).toBe('codec_unknown_key');
    expect(err.message).toContain('"new"');
    // A worker never throws (the task would be retried forever): it hands on a foreign payload, without the value.
    expect(await valueOf(codec, encoded[0]!)).toEqual({ [FOREIGN_KEY]: { origin: 'undecryptable', value: null } });
  });

  it('refuses tampered payloads instead of returning garbage', async () => {
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(secret())]);
    const data = Buffer.from(encoded!.data!);
    for (const at of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const copy = Buffer.from(data);
      copy[at]! ^= 0x01;
      expect((await failure(reveal.decode([{ ...encoded!, data: copy }]))).code).toBe('codec_tampered');
      expect(isForeign(await valueOf(codec, { ...encoded!, data: copy }))).toBe(true);
    }
    expect((await failure(reveal.decode([{ ...encoded!, data: data.subarray(0, 20) }]))).code).toBe('codec_malformed');
    // Claiming another key id of the ring does not help either.
    const both = createPayloadCodec(parseKeyRing(`${newSpec},${oldSpec}`), { decode: 'reveal' });
    const relabelled = { ...encoded!, metadata: { ...encoded!.metadata, [KEY_ID_METADATA]: Buffer.from('new') } };
    expect((await failure(both.decode([relabelled]))).code).toBe('codec_tampered');
    const unlabelled = { ...encoded!, metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) } };
    expect((await failure(reveal.decode([unlabelled]))).code).toBe('codec_malformed');
  });

  it("the origin is authenticated: an operator's payload cannot be relabelled as Warden's, nor Warden's as an operator's", async () => {
    const operator = createPayloadCodec(parseKeyRing(oldSpec), { encryptAs: 'operator' });
    const [byPerson] = await operator.encode([defaultPayloadConverter.toPayload({ approve: true })]);
    expect(text(byPerson!.metadata?.[ENCRYPTION_ORIGIN_METADATA])).toBe('operator');
    // Readable by the codec server, and to a worker a person's payload, not Warden's.
    expect(defaultPayloadConverter.fromPayload((await reveal.decode([byPerson!]))[0]!)).toEqual({ approve: true });
    expect(await valueOf(codec, byPerson!)).toEqual({
      [FOREIGN_KEY]: { origin: 'operator', value: { approve: true } },
    });
    const { [ENCRYPTION_ORIGIN_METADATA]: _dropped, ...relabelled } = byPerson!.metadata!;
    expect((await failure(reveal.decode([{ ...byPerson!, metadata: relabelled }]))).code).toBe('codec_tampered');
    expect(await valueOf(codec, { ...byPerson!, metadata: relabelled })).toEqual({
      [FOREIGN_KEY]: { origin: 'undecryptable', value: null },
    });
    const [byWarden] = await codec.encode([defaultPayloadConverter.toPayload({ approve: true })]);
    expect(await valueOf(codec, byWarden!)).toEqual({ approve: true });
    expect(
      (
        await failure(
          reveal.decode([
            {
              ...byWarden!,
              metadata: { ...byWarden!.metadata, [ENCRYPTION_ORIGIN_METADATA]: Buffer.from('operator') },
            },
          ]),
        )
      ).code,
    ).toBe('codec_tampered');
  });

  it('an unencrypted payload is foreign to a worker, and shown as it is by the codec server', async () => {
    const plain = [
      defaultPayloadConverter.toPayload({ written: 'by anyone' }),
      defaultPayloadConverter.toPayload(null),
      { data: Buffer.from('no metadata') },
    ];
    expect(await reveal.decode(plain)).toEqual(plain);
    const decoded = (await codec.decode(plain)).map((p) => defaultPayloadConverter.fromPayload(p));
    expect(decoded).toEqual([
      { [FOREIGN_KEY]: { origin: 'unencrypted', value: { written: 'by anyone' } } },
      { [FOREIGN_KEY]: { origin: 'unencrypted', value: null } },
      { [FOREIGN_KEY]: { origin: 'unencrypted', value: null } },
    ]);
    // A value claiming to be foreign already is still foreign: distrust is only ever added.
    const claim = defaultPayloadConverter.toPayload({ [FOREIGN_KEY]: { origin: 'warden', value: 1 } });
    expect(isForeign(await valueOf(codec, claim))).toBe(true);
  });

  it('still decodes the old key after rotation (ring "new,old"), and encrypts with the new one', async () => {
    const s = secret();
    const before = await codec.encode([defaultPayloadConverter.toPayload(s)]);
    const rotated = createPayloadCodec(parseKeyRing(`${newSpec},${oldSpec}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode(before))[0]!)).toBe(s);
    const after = await rotated.encode([defaultPayloadConverter.toPayload(s)]);
    expect(text(after[0]!.metadata?.[KEY_ID_METADATA])).toBe('new');
    expect((await failure(reveal.decode(after))).code).toBe('codec_unknown_key');
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
    for (const id of [workflowId, controlId])
      await client?.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => undefined);
    await connection?.close();
  });

  async function rawHistory(id: string) {
    const raw = await client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: id },
    });
    return {
      raw,
      bytes: Buffer.from(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(raw).finish()),
    };
  }

  it('(control) without the codec, the same check finds the secret in history', async () => {
    const s = secret();
    const plainClient = new Client({ connection, namespace: 'default' });
    await plainClient.workflow.start('codecProbe', {
      workflowId: controlId,
      taskQueue: `codec-probe-${randomUUID()}`,
      args: [{ apiKey: s }],
    });
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
