/**
 * The environments around a recording: the `OS_*` variables kept in the capture header (secrets
 * masked), and the environment the wrapped command runs with (proxy variables pointing at the
 * recorder, CA bundle variables pointing at system CAs + our CA).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSecretVariable, MASK } from '../../model/redact-policy.js';
import { CaFileReader, isCertificate } from './ca-files.js';

/** Proxy variables set for the wrapped command (curl, requests and undici read different cases). */
export const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'] as const;

/** Removed for the wrapped command: requests would otherwise bypass the proxy for loopback. */
export const NO_PROXY_VARIABLES = ['no_proxy', 'NO_PROXY'] as const;

/** CA bundle variables read by requests, openstackclient, OpenSSL, curl and Node. */
export const CA_BUNDLE_VARIABLES = [
  'REQUESTS_CA_BUNDLE',
  'OS_CACERT',
  'SSL_CERT_FILE',
  'CURL_CA_BUNDLE',
  'NODE_EXTRA_CA_CERTS',
] as const;

/** Where Linux distributions keep their system CA bundle (Debian first). */
const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/** The `OS_*` variables of `env`, sorted by name, with secret values masked. */
export function osEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(env).filter((n) => n.startsWith('OS_')).sort()) {
    const value = env[name];
    if (value === undefined) continue;
    // One policy with the page (model/redact-policy.ts): the capture never holds these values.
    out[name] = isSecretVariable(name) ? MASK : value;
  }
  return out;
}

/** The environment a command runs with to be recorded through `proxyUrl`, trusting `caBundlePath`. */
export function proxiedEnvironment(env: NodeJS.ProcessEnv, proxyUrl: string, caBundlePath: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of NO_PROXY_VARIABLES) delete out[name];
  for (const name of PROXY_VARIABLES) out[name] = proxyUrl;
  // Overrides what is already set: this machine (and many CI images) presets them to the system bundle.
  for (const name of CA_BUNDLE_VARIABLES) out[name] = caBundlePath;
  return out;
}

/** `http://HOST:PORT`, with IPv6 hosts bracketed. */
export function proxyUrl(host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/**
 * Writes `<caDir>/ca-bundle.pem` = the system CA bundle (if one is found) + `keptPems` (the CAs the
 * command arrived with) not already in it + our CA certificate, and returns its path. With kept CAs
 * the name carries their hash (`ca-bundle-<hash>.pem`), so recorders started with different CAs
 * never overwrite each other's bundle. Written to a temporary file and renamed, so a process
 * reading it while another recorder rewrites it never sees half a file; left alone when it already
 * holds these bytes (as at every start but the first). `reader` shares the reading of the system
 * bundle with the upstream trust.
 */
export function writeCaBundle(caDir: string, caCertPath: string, keptPems: string[] = [], reader = new CaFileReader()): string {
  const systemPath = SYSTEM_CA_BUNDLES.find((p) => existsSync(p));
  const system = systemPath ? reader.read(systemPath) : null;
  // Kept blocks were not parsed when read: only certificates go into the command's bundle. With
  // none kept, the system bundle is not even split.
  const inSystem = new Set(keptPems.length ? system?.pems : []);
  const extra = keptPems.filter((pem) => !inSystem.has(pem) && isCertificate(pem));
  const parts = [...(system ? [system.text] : []), ...extra, readFileSync(caCertPath, 'utf8')];
  const bundle = parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('');
  const suffix = extra.length ? `-${createHash('sha256').update(extra.join('')).digest('hex').slice(0, 12)}` : '';
  const path = join(caDir, `ca-bundle${suffix}.pem`);
  if (holds(path, bundle)) return path;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bundle, { mode: 0o644 });
  renameSync(tmp, path);
  return path;
}

/** Whether the file at `path` holds exactly `text`. */
function holds(path: string, text: string): boolean {
  try {
    return readFileSync(path, 'utf8') === text;
  } catch {
    return false;
  }
}
