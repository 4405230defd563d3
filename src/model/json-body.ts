/** Reading recorded bodies as JSON, for the parts of the model that look inside them. */
import type { Body } from './exchange.js';

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object (not an array). */
export type JsonObject = { [key: string]: Json };

/**
 * Parsed bodies by identity, while some work shares them (`sharingParsedBodies`): the catalog, the
 * token owners and the variable clues all read the same token responses (the biggest bodies of a
 * run). Only for that long: kept for as long as the bodies, the parsed token responses of a long run
 * stayed on the heap through the whole page (10 MB, half of the model's heap, at 10,000 exchanges
 * of the reference run). Callers never mutate the parsed value.
 */
let parsed: WeakMap<Body, Json | undefined> | null = null;

/** Runs `work` (synchronous) with each body parsed at most once (nested calls share the outer one's bodies). */
export function sharingParsedBodies<T>(work: () => T): T {
  if (parsed) return work();
  parsed = new WeakMap();
  try {
    return work();
  } finally {
    parsed = null;
  }
}

function parse(body: Body): Json | undefined {
  if (body.encoding !== 'utf8' || body.truncatedBytes > 0) return undefined;
  const text = body.data.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** The body parsed as JSON, or undefined when it is binary, cut short or not JSON. */
export function parseJsonBody(body: Body | null | undefined): Json | undefined {
  if (!body) return undefined;
  if (!parsed) return parse(body);
  if (parsed.has(body)) return parsed.get(body);
  const value = parse(body);
  parsed.set(body, value);
  return value;
}

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj[key]` when it is an object. */
export function objectAt(obj: Json | undefined, key: string): JsonObject | undefined {
  if (!isJsonObject(obj)) return undefined;
  const v = obj[key];
  return isJsonObject(v) ? v : undefined;
}

/** `obj[key]` when it is a string. */
export function stringAt(obj: Json | undefined, key: string): string | undefined {
  if (!isJsonObject(obj)) return undefined;
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

/** `obj[key]` when it is an array, else `[]`. */
export function arrayAt(obj: Json | undefined, key: string): Json[] {
  if (!isJsonObject(obj)) return [];
  const v = obj[key];
  return Array.isArray(v) ? v : [];
}

/** Case-insensitive header lookup: the first value, or undefined. */
export function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}
