/**
 * `--otlp-endpoint URL`: POST the trace as OTLP/HTTP JSON. A URL with no path gets the signal path
 * `/v1/traces` (as `OTEL_EXPORTER_OTLP_ENDPOINT`); one with a path is used as given (as
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`).
 */
import { UserError } from '../errors.js';

/** The URL the trace is POSTed to. */
export function tracesUrl(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UserError(`--otlp-endpoint ${endpoint}: not a URL (e.g. http://127.0.0.1:4318)`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--otlp-endpoint ${endpoint}: not an http(s) URL`, 2);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url;
}

interface ExportResponse {
  partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string };
}

/** POSTs the OTLP/JSON body; a refused connection, a non-2xx answer or rejected spans are errors. */
export async function postTraces(endpoint: string, body: string): Promise<URL> {
  const url = tracesUrl(endpoint);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new UserError(`--otlp-endpoint ${url.href}: cannot send (${cause?.code ?? (err as Error).message})`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new UserError(`--otlp-endpoint ${url.href}: ${response.status} ${response.statusText} (${text.split('\n')[0]?.slice(0, 200) ?? ''})`);
  }
  let answer: ExportResponse = {};
  try {
    answer = text.trim() === '' ? {} : (JSON.parse(text) as ExportResponse);
  } catch {
    answer = {}; // a 2xx without a JSON body is a success (some collectors answer with protobuf or nothing)
  }
  const rejected = Number(answer.partialSuccess?.rejectedSpans ?? 0);
  if (rejected > 0) throw new UserError(`--otlp-endpoint ${url.href}: ${rejected} span(s) rejected (${answer.partialSuccess?.errorMessage ?? 'no reason given'})`);
  return url;
}
