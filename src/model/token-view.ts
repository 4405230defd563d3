/**
 * The token view: every token a capture shows, who got it and where it went. A token is named by
 * its owner label (`{token: admin@admin}`, as `--secrets label` names it), never by its value, so
 * the view can be published. What a response says about a token and which request headers carry
 * one are the profile's (OpenStack: Keystone's answers; `X-Auth-Token` used, `X-Subject-Token`
 * validated, `X-Service-Token` sent as a service token).
 */
import type { Capture, ExchangeRecord } from './exchange.js';
import type { Arrow } from './timeline.js';
import { profileFor } from './profiles/choose.js';
import type { DescribedToken, Profile, TokenFacts, TokenUseKind } from './profiles/profile.js';
import { tokenInHeaderValue, tokenLabels } from './token-owners.js';

export interface TokenUse {
  kind: TokenUseKind;
  /** The request arrow's number in the timeline. */
  n: number;
  /** Sender and receiver display names. */
  from: string;
  to: string;
  /** `GET /v3/auth/tokens` (the arrow's label). */
  label: string;
  /** The status the request got (`200`, `401`, `✕ ECONNREFUSED`, `…` when unfinished). */
  status: string;
  /** A 401/404 answer (or a transport failure): the token was refused or not found. */
  failed: boolean;
}

export interface TokenEntry {
  /** `{token: admin@admin}`: the owner label, never the value. */
  label: string;
  /** The arrow (response) that issued it, to whom; null when issued before the recording. */
  issued: { n: number; to: string } | null;
  facts: TokenFacts | null;
  uses: TokenUse[];
}

function statusOf(e: ExchangeRecord): string {
  if (e.state === 'failed' || e.state === 'aborted') return `✕ ${e.error.code}`;
  return e.response ? String(e.response.statusCode) : '…';
}

function refused(e: ExchangeRecord): boolean {
  return e.state === 'failed' || (e.response !== null && (e.response.statusCode === 401 || e.response.statusCode === 404));
}

interface Book {
  entries: Map<string, TokenEntry>;
  labels: Map<string, string>;
  /** The tokens each exchange's response described, by `seq`. */
  described: Map<number, DescribedToken>;
  uses: Profile['tokenUses'];
}

function entryFor(book: Book, token: string): TokenEntry {
  let entry = book.entries.get(token);
  if (!entry) {
    entry = { label: book.labels.get(token) ?? '{token}', issued: null, facts: null, uses: [] };
    book.entries.set(token, entry);
  }
  return entry;
}

function noteResponse(book: Book, e: ExchangeRecord, arrows: { request: Arrow; response: Arrow | undefined }): void {
  const described = book.described.get(e.seq);
  if (!described) return;
  const entry = entryFor(book, described.token);
  entry.facts ??= described.facts;
  if (described.issued && !entry.issued && arrows.response) {
    entry.issued = { n: arrows.response.n, to: arrows.request.from.name };
  }
}

function noteRequest(book: Book, e: ExchangeRecord, request: Arrow): void {
  for (const [name, value] of e.request.headers) {
    const kind = book.uses.find(([h]) => h === name.toLowerCase())?.[1];
    const token = kind ? tokenInHeaderValue(value) : null;
    if (!kind || !token) continue;
    entryFor(book, token).uses.push({
      kind, n: request.n, from: request.from.name, to: request.to.name, label: request.label, status: statusOf(e), failed: refused(e),
    });
  }
}

/**
 * The tokens of a capture as its timeline shows them (arrow numbers from `arrows`; exchanges the
 * view leaves out are left out here too). In first-seen order. Owners are the profile's (chosen
 * from the capture when not given), as in `--secrets label`.
 */
export function buildTokenView(capture: Capture, arrows: Arrow[], profile?: Profile | null): TokenEntry[] {
  const chosen = profileFor(capture, profile);
  const described = new Map(chosen.describedTokens(capture).map((d) => [d.seq, d]));
  const book: Book = { entries: new Map(), labels: tokenLabels(capture, chosen), described, uses: chosen.tokenUses };
  const bySeq = new Map<number, { request: Arrow; response: Arrow | undefined }>();
  for (const a of arrows) {
    const slot = bySeq.get(a.exchange.seq);
    if (a.kind === 'request') bySeq.set(a.exchange.seq, { request: a, response: slot?.response });
    else if (slot) slot.response = a;
  }
  const events = capture.exchanges.filter((e) => bySeq.has(e.seq)).sort((x, y) => (bySeq.get(x.seq)?.request.n ?? 0) - (bySeq.get(y.seq)?.request.n ?? 0));
  for (const e of events) {
    const pair = bySeq.get(e.seq);
    if (!pair) continue;
    noteRequest(book, e, pair.request);
    noteResponse(book, e, pair);
  }
  return [...book.entries.values()];
}
