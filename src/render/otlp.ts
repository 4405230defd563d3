/**
 * A capture as OpenTelemetry traces: an OTLP/JSON `ExportTraceServiceRequest` with one trace per
 * capture and one CLIENT span per exchange, named `METHOD /templated/path` like the page's arrows,
 * with the HTTP semantic-convention attributes, parent/child from `model/causality.ts`, and one
 * resource per sending participant (`service.name`). Ids are derived from the capture, so the same
 * capture gives the same JSON (pure; docs/guide/interchange.md maps every field).
 */
import { lastInstant } from '../model/exchange-timing.js';
import { captureParents } from '../model/causality.js';
import type { Profile } from '../model/profiles/profile.js';
import type { FlowscribeConfig } from '../model/config.js';
import type { Capture, ExchangeRecord, Instant, Source } from '../model/exchange.js';
import type { SecretsMode } from '../model/redact.js';
import { splitUrl } from '../model/request-url.js';
import { spanIdOf, traceIdOf } from '../model/trace-ids.js';
import { BACKGROUND_MARK, buildTimeline, type Arrow } from '../model/timeline.js';

export interface OtlpOptions {
  config: FlowscribeConfig;
  secrets: SecretsMode;
  /** Names the services (span `service.name`); chosen from the capture when absent. */
  profile?: Profile | null;
  /** flowscribe's version, for the instrumentation scope. */
  version: string;
}

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** SPAN_KIND_CLIENT. */
  kind: 3;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  /** 0 unset, 2 error. */
  status: { code: 0 | 2; message?: string };
}

export interface ExportTraceServiceRequest {
  resourceSpans: Array<{
    resource: { attributes: KeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>;
  }>;
}

const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { intValue: String(value) } });

/** Wall-clock nanoseconds: anchored at the first exchange's wall time, advanced by the monotonic clock. */
function epochClock(capture: Capture): (i: Instant) => string {
  const anchor = capture.exchanges[0]?.timings.requestStart ?? { at: capture.header.startedAt, ns: 0 };
  const base = BigInt(Date.parse(anchor.at)) * 1_000_000n;
  return (i) => String(base + BigInt(i.ns - anchor.ns));
}

function sourceText(s: Source): string {
  switch (s.kind) {
    case 'listener':
      return `listener:${s.label}`;
    case 'process':
      return `process:${s.comm}[${s.pid}]${s.isClient ? ' client' : ''}`;
    case 'user-agent':
      return `user-agent:${s.userAgent}`;
    case 'unknown':
      return 'unknown';
  }
}

function header(e: ExchangeRecord, name: string): string | undefined {
  return e.request.headers.find(([n]) => n.toLowerCase() === name)?.[1];
}

function httpAttributes(e: ExchangeRecord, peer: string): KeyValue[] {
  const { hostPort, path } = splitUrl(e.request.url);
  const colon = hostPort.lastIndexOf(':');
  const attrs = [
    str('http.request.method', e.request.method),
    str('url.full', e.request.url),
    str('url.path', path),
    str('server.address', hostPort.slice(0, colon).replace(/^\[|\]$/g, '')),
    int('server.port', Number(hostPort.slice(colon + 1))),
    str('network.protocol.version', e.request.httpVersion),
    int('http.request.body.size', e.request.body.sizeBytes),
    str('peer.service', peer),
  ];
  const ua = header(e, 'user-agent');
  if (ua !== undefined) attrs.push(str('user_agent.original', ua));
  if (e.response) attrs.push(int('http.response.status_code', e.response.statusCode), int('http.response.body.size', e.response.body.sizeBytes));
  return attrs;
}

function status(e: ExchangeRecord, attrs: KeyValue[]): OtlpSpan['status'] {
  if (e.state === 'failed' || e.state === 'aborted') {
    attrs.push(str('error.type', e.error.code));
    return { code: 2, message: e.error.message };
  }
  if (e.response && e.response.statusCode >= 400) {
    attrs.push(str('error.type', String(e.response.statusCode)));
    return { code: 2, message: `${e.response.statusCode} ${e.response.statusMessage}`.trim() };
  }
  return { code: 0 };
}

function toSpan(arrow: Arrow, traceId: string, parent: number | undefined, clock: (i: Instant) => string): OtlpSpan {
  const e = arrow.exchange;
  const t = e.timings;
  const attrs = [...httpAttributes(e, arrow.to.name), int('flowscribe.seq', e.seq), str('flowscribe.source', sourceText(e.source)), str('flowscribe.state', e.state)];
  if (arrow.background) attrs.push({ key: 'flowscribe.background', value: { boolValue: true } });
  if (e.recorder) attrs.push(str('flowscribe.recorder.file', e.recorder.file), ...(e.recorder.host ? [str('flowscribe.recorder.host', e.recorder.host)] : []));
  return {
    traceId,
    spanId: spanIdOf(traceId, e.seq),
    ...(parent !== undefined ? { parentSpanId: spanIdOf(traceId, parent) } : {}),
    // The page marks background calls in the label; a span says so in an attribute instead.
    name: arrow.background ? arrow.label.slice(BACKGROUND_MARK.length).trimStart() : arrow.label,
    kind: 3,
    startTimeUnixNano: clock(t.requestStart),
    endTimeUnixNano: clock(lastInstant(e)),
    status: status(e, attrs),
    attributes: attrs,
  };
}

/** The capture as one OTLP trace (secrets in URLs and headers redacted as on the page). */
export function toOtlp(capture: Capture, options: OtlpOptions): ExportTraceServiceRequest {
  const { config, secrets, profile = null } = options;
  const timeline = buildTimeline(capture, { config, secrets, view: 'full', include: [], exclude: [], profile });
  const parents = captureParents(capture, config, profile);
  const traceId = traceIdOf(capture);
  const clock = epochClock(capture);
  const bySender = new Map<string, OtlpSpan[]>();
  const requests = timeline.arrows.filter((a) => a.kind === 'request').sort((a, b) => a.exchange.seq - b.exchange.seq);
  for (const arrow of requests) {
    const spans = bySender.get(arrow.from.name) ?? [];
    spans.push(toSpan(arrow, traceId, parents.get(arrow.exchange.seq), clock));
    bySender.set(arrow.from.name, spans);
  }
  return {
    resourceSpans: [...bySender].map(([service, spans]) => ({
      resource: { attributes: [str('service.name', service)] },
      scopeSpans: [{ scope: { name: 'flowscribe', version: options.version }, spans }],
    })),
  };
}

/** The OTLP/JSON as written: two-space JSON with a final newline. */
export function renderOtlp(capture: Capture, options: OtlpOptions): string {
  return `${JSON.stringify(toOtlp(capture, options), null, 2)}\n`;
}
