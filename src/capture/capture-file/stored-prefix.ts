/** The first `limit` bytes of a byte stream plus the stream's total length, rendered for a capture. */

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface RenderedPrefix {
  encoding: 'utf8' | 'base64';
  data: string;
  /** Bytes actually represented by `data` (≤ limit). */
  keptBytes: number;
}

export class StoredPrefix {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Bytes seen in total, stored or not. */
  totalBytes = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    // Copy: the caller's buffer may be reused or belong to a large pooled slab.
    const part = Buffer.from(chunk.length <= room ? chunk : chunk.subarray(0, room));
    this.chunks.push(part);
    this.kept += part.length;
  }

  /** The stored bytes, in order. */
  bytes(): Buffer {
    if (this.chunks.length !== 1) {
      const joined = Buffer.concat(this.chunks, this.kept);
      this.chunks.length = 0;
      this.chunks.push(joined);
    }
    return this.chunks[0] as Buffer;
  }

  /** UTF-8 text when the bytes are valid UTF-8 (a character cut by the limit is dropped), else base64. */
  render(): RenderedPrefix {
    const bytes = this.bytes();
    const cut = this.totalBytes > this.kept ? incompleteTail(bytes) : 0;
    const text = bytes.subarray(0, bytes.length - cut);
    try {
      return { encoding: 'utf8', data: utf8.decode(text), keptBytes: text.length };
    } catch {
      return { encoding: 'base64', data: bytes.toString('base64'), keptBytes: bytes.length };
    }
  }
}

/** Length of an incomplete UTF-8 sequence at the end of `bytes` (0–3). */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}
