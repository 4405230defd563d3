/**
 * Which process serves which OpenStack service: the names a reader of the docs knows from
 * `systemctl`/`ps` (`glance-api`, `swift-proxy-server`), looked up by the catalog's service name
 * first (it tells `nova_legacy` from `placement`), then by service type.
 */

const BY_NAME: Record<string, string> = {
  keystone: 'keystone-api',
  glance: 'glance-api',
  swift: 'swift-proxy-server',
  nova: 'nova-api',
  neutron: 'neutron-server',
  cinder: 'cinder-api',
  placement: 'placement-api',
  heat: 'heat-api',
  'heat-cfn': 'heat-api-cfn',
  octavia: 'octavia-api',
  designate: 'designate-api',
  barbican: 'barbican-api',
  manila: 'manila-api',
  ironic: 'ironic-api',
  trove: 'trove-api',
  magnum: 'magnum-api',
  aodh: 'aodh-api',
  gnocchi: 'gnocchi-api',
  zun: 'zun-api',
  senlin: 'senlin-api',
  mistral: 'mistral-api',
  watcher: 'watcher-api',
  masakari: 'masakari-api',
  blazar: 'blazar-api',
  cyborg: 'cyborg-api',
};

const BY_TYPE: Record<string, string> = {
  identity: 'keystone-api',
  image: 'glance-api',
  'object-store': 'swift-proxy-server',
  compute: 'nova-api',
  network: 'neutron-server',
  'block-storage': 'cinder-api',
  placement: 'placement-api',
  orchestration: 'heat-api',
  cloudformation: 'heat-api-cfn',
  'load-balancer': 'octavia-api',
  dns: 'designate-api',
  'key-manager': 'barbican-api',
  'shared-file-system': 'manila-api',
  baremetal: 'ironic-api',
  database: 'trove-api',
  'container-infra': 'magnum-api',
  alarming: 'aodh-api',
  metric: 'gnocchi-api',
  container: 'zun-api',
  clustering: 'senlin-api',
  workflow: 'mistral-api',
};

/** `cinderv3` → `cinder`, `nova_legacy` → `nova`, `sharev2` → `share`. */
function baseName(name: string): string {
  return name.toLowerCase().replace(/_legacy$/, '').replace(/v\d+(\.\d+)?$/, '');
}

/** `volumev3` → `block-storage`, `sharev2` → `shared-file-system`, `compute_legacy` → `compute`. */
function baseType(type: string): string {
  const t = type.toLowerCase().replace(/_legacy$/, '');
  if (/^volume(v\d+)?$/.test(t)) return 'block-storage';
  if (/^share(v\d+)?$/.test(t)) return 'shared-file-system';
  return t;
}

/** The process serving a catalog service, or null when neither its name nor its type is known. */
export function serviceProcessName(serviceName: string, serviceType: string): string | null {
  return BY_NAME[baseName(serviceName)] ?? BY_TYPE[baseType(serviceType)] ?? null;
}

/** Every process name in the tables, to recognise a service from its process or command line. */
export function knownProcessNames(): string[] {
  return [...new Set([...Object.values(BY_NAME), ...Object.values(BY_TYPE)])];
}

/** The process for a bare project word (`glance` → `glance-api`), e.g. from `/etc/glance/` or a User-Agent. */
export function processForProject(word: string): string | null {
  return BY_NAME[baseName(word)] ?? null;
}
