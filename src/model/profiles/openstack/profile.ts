/**
 * The OpenStack profile: Keystone catalogs name the services, Keystone's token responses name the
 * tokens' owners, and the summary folds the unified-limits calls services make for quota checks.
 */
import type { Capture } from '../../exchange.js';
import type { Filter } from '../../filter-spec.js';
import type { Profile } from '../profile.js';
import { catalogInExchange } from './catalog.js';
import { openstackHints } from './id-hints.js';
import { authUrlEndpoint, TOKEN_PATH } from './identity.js';
import { openstackNaming } from './naming.js';
import { KEYSTONE_TOKEN_USES, keystoneTokens } from './token-owners.js';
import { openstackWording } from './wording.js';

/**
 * The unified-limits calls Glance (and others using oslo.limit) make for every quota check, and the
 * endpoint look-ups that serve them. `**` lets the same patterns match a Keystone under a path
 * prefix (`/identity/v3/limits`) or at the root.
 */
const UNIFIED_LIMITS: readonly Filter[] = [
  { path: '**/v3/limits' },
  { path: '**/v3/limits/**' },
  { path: '**/v3/registered_limits' },
  { path: '**/v3/registered_limits/**' },
  { method: 'GET', path: '**/v3/endpoints/*' },
];

export const openstackProfile: Profile = {
  name: 'openstack',
  participants: openstackNaming,
  responseHints: openstackHints,
  describedTokens: keystoneTokens,
  tokenUses: KEYSTONE_TOKEN_USES,
  accountPrefix: 'AUTH_',
  // The local id in responses, the global id services pass on in requests, and the common one.
  requestIdHeaders: ['x-openstack-request-id', 'x-compute-request-id', 'x-global-request-id', 'x-request-id'],
  summaryExclude: UNIFIED_LIMITS,
  wording: openstackWording,
};

/**
 * Whether a capture is OpenStack traffic: a Keystone token request, a service catalog in a
 * response, or a command configured for a cloud (`OS_AUTH_URL`, `OS_CLOUD`) whose Keystone
 * exchange happened before the recording or never (a refused endpoint).
 */
export function isOpenStackCapture(capture: Pick<Capture, 'header' | 'exchanges'>): boolean {
  const env = capture.header.environment;
  if (authUrlEndpoint(env) !== null || (env['OS_CLOUD'] ?? '') !== '') return true;
  return capture.exchanges.some((e) => TOKEN_PATH.test(e.request.url.split('?')[0] ?? '') || catalogInExchange(e).length > 0);
}
