/**
 * Who talks to whom. Destinations are named from the Keystone catalog (longest endpoint-URL
 * prefix → the process serving that service), plus the identity endpoint known from `OS_AUTH_URL`
 * and the token requests themselves, so Keystone has its name before any catalog was received.
 * Senders are named from the recorder's attribution; the wrapped command is `<argv0>-client`.
 * The config overrides any name, looked up by every key that identified the participant.
 */
import { indexEndpoints, matchEndpoint, parseCatalogs, type CatalogEndpoint, type EndpointIndex } from './catalog.js';
import type { FlowscribeConfig } from './config.js';
import type { Capture, ExchangeRecord } from './exchange.js';
import { serviceProcessName } from './openstack-services.js';
import { ParticipantRegistry } from './participant-aliases.js';
import { splitUrl } from './request-url.js';
import { clientNameForCommand, processDisplayName, programName, runsShell, userAgentDisplayName } from './source-names.js';
import type { Participant } from './timeline.js';

/** Resolves both ends of every exchange of one capture. */
export interface ParticipantResolver {
  /** The wrapped command's participant; null in proxy mode (no argv). */
  client: Participant | null;
  source(exchange: ExchangeRecord): Participant;
  destination(exchange: ExchangeRecord): Participant;
}

/** Paths of Keystone's token API; what precedes them is the identity endpoint. */
const TOKEN_PATH = /\/v3\/auth\/tokens\/?$|\/v2\.0\/tokens\/?$/;
/** A trailing API version on `OS_AUTH_URL` (`…/v3`, `…/v2.0/`). */
const VERSION_SUFFIX = /\/v\d+(\.\d+)?\/?$/;

function identityEndpoint(url: string): CatalogEndpoint {
  return { url, serviceType: 'identity', serviceName: 'keystone', serviceId: '', endpointId: '', interface: '', region: '' };
}

/** Identity endpoints known without a catalog: `OS_AUTH_URL` and every token request's URL. */
export function identityEndpoints(capture: Capture): CatalogEndpoint[] {
  const urls: string[] = [];
  const authUrl = capture.header.environment['OS_AUTH_URL'];
  if (authUrl && /^https?:\/\//i.test(authUrl)) urls.push(authUrl.replace(VERSION_SUFFIX, ''));
  for (const e of capture.exchanges) {
    if (!e.request.url.includes('tokens')) continue;
    const { origin, path } = splitUrl(e.request.url);
    if (origin && TOKEN_PATH.test(path)) urls.push(origin + path.replace(TOKEN_PATH, ''));
  }
  return [...new Set(urls)].map(identityEndpoint);
}

/** The first configured name among `keys`, or undefined. */
function configured(config: FlowscribeConfig, keys: string[]): string | undefined {
  for (const key of keys) {
    const name = config.participants[key];
    if (name !== undefined) return name;
  }
  return undefined;
}

function destinationName(exchange: ExchangeRecord, catalog: EndpointIndex, config: FlowscribeConfig): string {
  const { hostPort } = splitUrl(exchange.request.url);
  const ep = matchEndpoint(catalog, exchange.request.url);
  if (!ep) return configured(config, [hostPort]) ?? hostPort;
  const name = serviceProcessName(ep.serviceName, ep.serviceType) ?? ep.serviceName;
  return configured(config, [hostPort, ep.serviceName, ep.serviceType, name]) ?? name;
}

/**
 * The sender's name. `perProgram`: the command is a shell script, so each program it ran is its own
 * participant (`openstack-client`, `curl-client`) rather than one `sh-client`.
 */
function sourceName(exchange: ExchangeRecord, clientName: string | null, config: FlowscribeConfig, perProgram: boolean): string {
  const s = exchange.source;
  const fallbackClient = clientName ?? 'openstack-client';
  switch (s.kind) {
    case 'listener':
      if (s.label === 'default') return clientName ?? 'client';
      return configured(config, [s.label]) ?? s.label;
    case 'process': {
      if (s.isClient && perProgram) {
        const program = programName(s.comm, s.cmdline);
        return configured(config, [program, clientNameForCommand(program)]) ?? clientNameForCommand(program);
      }
      if (s.isClient) return clientName ?? configured(config, [s.comm]) ?? clientNameForCommand(s.comm);
      const name = processDisplayName(s.comm, s.cmdline);
      return configured(config, [s.comm, name]) ?? name;
    }
    case 'user-agent': {
      const name = userAgentDisplayName(s.userAgent, fallbackClient);
      return configured(config, [name]) ?? name;
    }
    case 'unknown':
      return clientName ?? 'client';
  }
}

/** Builds the resolver; aliases are handed out in the order participants are first asked for. */
export function resolveParticipants(capture: Capture, config: FlowscribeConfig): ParticipantResolver {
  const catalog = indexEndpoints([...parseCatalogs(capture).endpoints, ...identityEndpoints(capture)]);
  const registry = new ParticipantRegistry();
  const argv0 = capture.header.argv?.[0];
  const perProgram = runsShell(capture.header.argv ?? []);
  const defaultClient = argv0 && !perProgram ? clientNameForCommand(argv0) : null;
  const clientName = defaultClient ? (configured(config, [argv0 ?? '', defaultClient]) ?? defaultClient) : null;
  const client = clientName ? registry.get(clientName) : null;
  return {
    client,
    source: (e) => registry.get(sourceName(e, clientName, config, perProgram)),
    destination: (e) => registry.get(destinationName(e, catalog, config)),
  };
}
