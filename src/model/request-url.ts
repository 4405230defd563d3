/**
 * Splitting recorded request URLs without normalising them: `new URL()` would resolve `..`,
 * re-encode characters and drop default ports, but the page shows paths exactly as they were sent.
 */

/** A recorded absolute URL cut into the parts the model needs. */
export interface UrlParts {
  /** Lower-case `scheme://host:port` with the port always explicit (`http://10.0.0.1:80`). */
  origin: string;
  /** `host:port` as the fallback participant name. */
  hostPort: string;
  /** The path exactly as recorded, `/` when empty. */
  path: string;
  /** The query string including its `?`, or `''`. */
  query: string;
}

const URL_PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/;
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/**
 * Recent splits by URL: the model asks for each exchange's parts several times (participants, views,
 * folding) and real traffic repeats URLs. Bounded, so a long `flowscribe site` run does not grow it.
 */
const recent = new Map<string, Readonly<UrlParts>>();
const RECENT_MAX = 4096;

/** Splits an absolute URL; a URL that is not absolute is treated as a bare path. Do not mutate the result. */
export function splitUrl(url: string): Readonly<UrlParts> {
  let parts = recent.get(url);
  if (parts) return parts;
  parts = split(url);
  if (recent.size >= RECENT_MAX) recent.clear();
  recent.set(url, parts);
  return parts;
}

function split(url: string): UrlParts {
  const m = URL_PATTERN.exec(url);
  if (!m) {
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    return { origin: '', hostPort: 'unknown', path: path || '/', query: q < 0 ? '' : url.slice(q) };
  }
  const scheme = (m[1] ?? '').toLowerCase();
  const authority = (m[2] ?? '').replace(/^[^@]*@/, '').toLowerCase();
  const hostPort = /:\d+$/.test(authority) ? authority : `${authority}:${DEFAULT_PORTS[scheme] ?? '80'}`;
  return { origin: `${scheme}://${hostPort}`, hostPort, path: m[3] || '/', query: m[4] ?? '' };
}
