/**
 * HAR bodies → our `Body`. flowscribe's own export carries the wire size and hash (`_sha256`,
 * ...), which are kept as they are. A foreign HAR holds the decoded body only, so size and hash
 * describe those bytes and `contentEncoding` is null (see docs/guide/interchange.md).
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { Body, RawHeaders } from './exchange.js';
import type { HarBodyExtras } from './har.js';

/** What a HAR body part (`postData` or `content`) holds. */
export interface HarBodyPart extends HarBodyExtras {
  text?: string;
  encoding?: string;
  /** `content.size`: the decoded length (absent on postData). */
  size?: number;
}

/** Media type without parameters, lower case (as the recorder records it). */
export function mediaTypeFrom(headers: RawHeaders): string | null {
  const value = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

function bytesOf(part: HarBodyPart | undefined): Buffer {
  if (!part?.text) return Buffer.alloc(0);
  return part.encoding === 'base64' ? Buffer.from(part.text, 'base64') : Buffer.from(part.text, 'utf8');
}

/** The body as flowscribe's export described it (wire size and hash kept). */
function ownBody(part: HarBodyPart & { _sha256: string }, wireBytes: number, headers: RawHeaders): Body {
  return {
    sizeBytes: wireBytes,
    sha256: part._sha256,
    mediaType: part._mediaType === undefined ? mediaTypeFrom(headers) : part._mediaType,
    contentEncoding: part._contentEncoding ?? null,
    encoding: part.encoding === 'base64' ? 'base64' : 'utf8',
    data: part.text ?? '',
    truncatedBytes: part._truncatedBytes ?? 0,
    file: part._file ?? null,
  };
}

/**
 * The body of one side of a HAR entry. `wireBytes` is the HAR `bodySize` (-1 when unknown); a part
 * whose text was left out (`content: omit`) keeps its size as `truncatedBytes`.
 */
export function bodyFromHar(part: HarBodyPart | undefined, wireBytes: number, headers: RawHeaders): Body {
  if (part?._sha256 !== undefined) return ownBody({ ...part, _sha256: part._sha256 }, Math.max(wireBytes, 0), headers);
  const bytes = bytesOf(part);
  const missing = part?.text === undefined && part?.size !== undefined ? Math.max(part.size, 0) : 0;
  const text = isUtf8(bytes);
  return {
    sizeBytes: bytes.length + missing,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    mediaType: mediaTypeFrom(headers),
    contentEncoding: null,
    encoding: text ? 'utf8' : 'base64',
    data: bytes.toString(text ? 'utf8' : 'base64'),
    truncatedBytes: missing,
    file: null,
  };
}
