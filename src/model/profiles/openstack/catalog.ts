/**
 * Keystone service catalogs found in a capture. Any response may carry one: v3 token responses
 * (`token.catalog[]`, POST and GET /v3/auth/tokens), `GET /v3/auth/catalog` (`catalog[]`) and v2.0
 * token responses (`access.serviceCatalog[]` with `publicURL`/`internalURL`/`adminURL`). Every
 * endpoint of every region and interface is kept: services call each other on internal/admin URLs.
 */
import type { Capture, ExchangeRecord } from '../../exchange.js';
import { arrayAt, isJsonObject, objectAt, parseJsonBody, stringAt, type Json } from '../../json-body.js';
import { splitUrl } from '../../request-url.js';

/** One endpoint URL of one catalog service. */
export interface CatalogEndpoint {
  /** The endpoint URL as listed (`http://10.0.0.1/image`). */
  url: string;
  /** Catalog service type (`image`, `object-store`, `volumev3`). */
  serviceType: string;
  /** Catalog service name (`glance`, `swift`, `cinderv3`). */
  serviceName: string;
  /** Catalog service id (`catalog[].id`); `''` when the catalog has none (v2.0). */
  serviceId: string;
  /** Endpoint id (`endpoints[].id`); `''` when the catalog has none. */
  endpointId: string;
  /** `public`, `internal` or `admin`. */
  interface: string;
  /** Region id (`region_id`, else `region`); `''` when absent. */
  region: string;
}

export interface Catalog {
  /** Distinct endpoints in first-seen order. */
  endpoints: CatalogEndpoint[];
}

function v3Endpoints(service: Json): CatalogEndpoint[] {
  const serviceType = stringAt(service, 'type') ?? '';
  const serviceName = stringAt(service, 'name') ?? serviceType;
  const serviceId = stringAt(service, 'id') ?? '';
  return arrayAt(service, 'endpoints').flatMap((ep): CatalogEndpoint[] => {
    const url = stringAt(ep, 'url');
    if (!url) return [];
    const region = stringAt(ep, 'region_id') ?? stringAt(ep, 'region') ?? '';
    const endpointId = stringAt(ep, 'id') ?? '';
    return [{ url, serviceType, serviceName, serviceId, endpointId, interface: stringAt(ep, 'interface') ?? '', region }];
  });
}

function v2Endpoints(service: Json): CatalogEndpoint[] {
  const serviceType = stringAt(service, 'type') ?? '';
  const serviceName = stringAt(service, 'name') ?? serviceType;
  return arrayAt(service, 'endpoints').flatMap((ep) =>
    (['public', 'internal', 'admin'] as const).flatMap((iface): CatalogEndpoint[] => {
      const url = stringAt(ep, `${iface}URL`);
      if (!url) return [];
      const endpointId = stringAt(ep, 'id') ?? '';
      return [{ url, serviceType, serviceName, serviceId: '', endpointId, interface: iface, region: stringAt(ep, 'region') ?? '' }];
    }),
  );
}

/** The catalog endpoints in one response body (any of the three shapes), or `[]`. */
export function catalogInBody(body: Json | undefined): CatalogEndpoint[] {
  if (!isJsonObject(body)) return [];
  const v3 = arrayAt(objectAt(body, 'token'), 'catalog');
  const bare = arrayAt(body, 'catalog');
  const v2 = arrayAt(objectAt(body, 'access'), 'serviceCatalog');
  return [...v3.flatMap(v3Endpoints), ...bare.flatMap(v3Endpoints), ...v2.flatMap(v2Endpoints)];
}

/** The catalog endpoints in one exchange's response, or `[]`. */
export function catalogInExchange(exchange: ExchangeRecord): CatalogEndpoint[] {
  const body = exchange.response?.body;
  // Most bodies have no catalog: skip parsing them.
  if (!body || !body.data.includes('atalog')) return [];
  return catalogInBody(parseJsonBody(body));
}

/** Every distinct endpoint of every catalog in the capture. */
export function parseCatalogs(capture: Pick<Capture, 'exchanges'>): Catalog {
  const seen = new Map<string, CatalogEndpoint>();
  for (const exchange of capture.exchanges) {
    for (const ep of catalogInExchange(exchange)) {
      const key = `${ep.endpointId} ${ep.url} ${ep.serviceType}`;
      if (!seen.has(key)) seen.set(key, ep);
    }
  }
  return { endpoints: [...seen.values()] };
}

/** Endpoints by origin, then by path without trailing `/`: what `matchEndpoint` searches. */
export type EndpointIndex = Map<string, Map<string, CatalogEndpoint>>;

/** Indexes endpoints for repeated matching (the first endpoint listed for a URL wins). */
export function indexEndpoints(endpoints: readonly CatalogEndpoint[]): EndpointIndex {
  const index: EndpointIndex = new Map();
  for (const endpoint of endpoints) {
    const { origin, path } = splitUrl(endpoint.url);
    const paths = index.get(origin) ?? new Map<string, CatalogEndpoint>();
    const key = path.replace(/\/+$/, '');
    if (!paths.has(key)) paths.set(key, endpoint);
    index.set(origin, paths);
  }
  return index;
}

/**
 * The endpoint whose URL is the longest prefix of `url` (same origin, whole path segments), or
 * null. Looks up the path's own prefixes, longest first, so the cost does not grow with the catalog.
 */
export function matchEndpoint(catalog: Catalog | EndpointIndex, url: string): CatalogEndpoint | null {
  const index = catalog instanceof Map ? catalog : indexEndpoints(catalog.endpoints);
  const target = splitUrl(url);
  const paths = index.get(target.origin);
  if (!paths) return null;
  let prefix = target.path.replace(/\/+$/, '');
  for (;;) {
    const found = paths.get(prefix);
    if (found) return found;
    if (prefix === '') return null;
    prefix = prefix.slice(0, prefix.lastIndexOf('/'));
  }
}
