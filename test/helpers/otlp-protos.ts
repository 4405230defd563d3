/**
 * The official OTLP protobuf definitions, as `@opentelemetry/otlp-transformer` ships them compiled
 * by protobufjs (`build/src/generated/root.js`, generated from opentelemetry-proto). OTLP/JSON
 * writes trace and span ids as hex where proto3 JSON would use base64 (OTLP spec, "JSON Protobuf
 * Encoding"), so ids are converted before and after.
 */
import { createRequire } from 'node:module';

interface MessageType {
  fromObject(object: unknown): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  verify(message: unknown): string | null;
}

const require = createRequire(import.meta.url);
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType } } } } };
};
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

function mapIds(value: unknown, convert: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, convert));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ID_FIELDS.has(k) && typeof v === 'string' ? convert(v) : mapIds(v, convert)]));
}

/**
 * OTLP/JSON → protobuf bytes → decoded → OTLP/JSON again, through the official message types.
 * Fields the definitions do not know are dropped on the way, so comparing the result with the
 * input shows any misnamed or mistyped field.
 */
export function protoRoundTrip(json: unknown): unknown {
  const message = Request.fromObject(mapIds(json, (hex) => Buffer.from(hex, 'hex').toString('base64')));
  const error = Request.verify(message);
  if (error) throw new Error(`not an ExportTraceServiceRequest: ${error}`);
  const decoded = Request.decode(Request.encode(message).finish());
  const object = Request.toObject(decoded, { longs: String, enums: Number, bytes: String, defaults: false, arrays: false });
  return mapIds(object, (b64) => Buffer.from(b64, 'base64').toString('hex'));
}

/** Drops proto3 default values (0, '', false, empty lists and objects), which the wire form does not keep. */
export function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(withoutDefaults).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, withoutDefaults(v)] as const).filter(([, v]) => v !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value === 0 || value === '' || value === false || value === '0' ? undefined : value;
}
