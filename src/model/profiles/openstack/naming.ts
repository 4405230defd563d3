/**
 * OpenStack participants: destinations from the Keystone catalog (longest endpoint-URL prefix →
 * the process serving that service, `glance-api`), Keystone from `OS_AUTH_URL` and token requests;
 * senders recognised by the services' process names; the SDK's User-Agent is the `openstack` command.
 */
import type { ParticipantNaming, ServiceName } from '../profile.js';
import { indexEndpoints, matchEndpoint, parseCatalogs } from './catalog.js';
import { identityEndpoints } from './identity.js';
import { knownProcessNames, processForProject, serviceProcessName } from './services.js';

/** User-Agent products of the OpenStack SDK and CLI: the `openstack` command's client. */
const CLIENT_PRODUCTS = new Set(['openstacksdk', 'python-openstackclient', 'osc-lib']);

export const openstackNaming: ParticipantNaming = {
  services(capture) {
    const index = indexEndpoints([...parseCatalogs(capture).endpoints, ...identityEndpoints(capture)]);
    return (url): ServiceName | null => {
      const ep = matchEndpoint(index, url);
      if (!ep) return null;
      return { name: serviceProcessName(ep.serviceName, ep.serviceType) ?? ep.serviceName, keys: [ep.serviceName, ep.serviceType] };
    };
  },
  knownProcesses: knownProcessNames(),
  processForProject,
  isCommandClient: (product) => CLIENT_PRODUCTS.has(product.toLowerCase()),
  fallbackClient: 'openstack-client',
  aliases: { 'openstack-client': 'osc' },
};
