/**
 * Lines of a Zeek log, plain or gzip-compressed (rotated logs such as `ssl.2026-12-01-00-00-00.log.gz`,
 * recognised by the gzip magic bytes, not the name), streamed with bounded memory.
 *
 * Resuming: offsets in a gzip file are offsets in the DECOMPRESSED bytes. A deflate stream cannot be
 * entered in the middle, so a resumed scan decompresses the file again from its start and discards the
 * bytes before the offset without looking at them (the lines there were already counted; the header they
 * held travels in the cursor). That costs re-decompressing the part already read — at worst one rotated
 * file, which is bounded by the rotation interval — and no memory.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { readLineBatches, splitLineBatches, type LineEvent } from '../lines.js';

export async function isGzip(path: string): Promise<boolean> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Lines from offset `start` (decompressed, for gzip), a read chunk's at a time. A truncated or corrupt gzip
 * file throws after the last complete line it could decompress (zlib: "unexpected end of file").
 */
export function zeekLines(path: string, gzip: boolean, start: number, maxBytes: number): AsyncGenerator<LineEvent[]> {
  // Larger reads than the 64 KiB default: fewer system calls and chunk boundaries on big logs (256 KiB).
  if (!gzip) return readLineBatches(path, { start, maxBytes, highWaterMark: 256 * 1024 });
  return splitLineBatches(skipBytes(gunzip(path), start > 0 ? start - 1 : 0), { start, maxBytes });
}

async function* gunzip(path: string): AsyncGenerator<Buffer> {
  const file = fs.createReadStream(path);
  const inflate = zlib.createGunzip();
  file.on('error', (err) => inflate.destroy(err));
  file.pipe(inflate);
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
  } finally {
    file.destroy();
    inflate.destroy();
  }
}

async function* skipBytes(source: AsyncIterable<Buffer>, count: number): AsyncGenerator<Buffer> {
  let left = count;
  for await (const chunk of source) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}
