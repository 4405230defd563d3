/**
 * Keystone's endpoint known without a catalog: `OS_AUTH_URL` and the URL of every token request,
 * so Keystone has its name before any catalog was received (and in captures that never got one).
 */
import type { Capture } from '../../exchange.js';
import { splitUrl } from '../../request-url.js';
import type { CatalogEndpoint } from './catalog.js';

/** Paths of Keystone's token API; what precedes them is the identity endpoint. */
export const TOKEN_PATH = /\/v3\/auth\/tokens\/?$|\/v2\.0\/tokens\/?$/;
/** A trailing API version on `OS_AUTH_URL` (`…/v3`, `…/v2.0/`). */
const VERSION_SUFFIX = /\/v\d+(\.\d+)?\/?$/;

function identityEndpoint(url: string): CatalogEndpoint {
  return { url, serviceType: 'identity', serviceName: 'keystone', serviceId: '', endpointId: '', interface: '', region: '' };
}

/** The identity endpoint in `OS_AUTH_URL`, without its version, or null. */
export function authUrlEndpoint(environment: Record<string, string>): string | null {
  const authUrl = environment['OS_AUTH_URL'];
  return authUrl && /^https?:\/\//i.test(authUrl) ? authUrl.replace(VERSION_SUFFIX, '') : null;
}

/** Identity endpoints known without a catalog: `OS_AUTH_URL` and every token request's URL. */
export function identityEndpoints(capture: Capture): CatalogEndpoint[] {
  const urls: string[] = [];
  const authUrl = authUrlEndpoint(capture.header.environment);
  if (authUrl) urls.push(authUrl);
  for (const e of capture.exchanges) {
    if (!e.request.url.includes('tokens')) continue;
    const { origin, path } = splitUrl(e.request.url);
    if (origin && TOKEN_PATH.test(path)) urls.push(origin + path.replace(TOKEN_PATH, ''));
  }
  return [...new Set(urls)].map(identityEndpoint);
}
