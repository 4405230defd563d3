/**
 * Which certificate authorities the recorder trusts for its upstream connections: the ones the
 * wrapped command arrived with (`OS_CACERT`, `REQUESTS_CA_BUNDLE`, ..., `--os-cacert FILE`), so a
 * cloud behind a private CA records as it runs, plus `--upstream-ca FILE`s. Node's default store
 * stays trusted too.
 */
import { rootCertificates } from 'node:tls';
import { basename, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import type { UpstreamTls } from '../../model/exchange.js';
import { CaFileReader, isCertificate } from '../command/ca-files.js';
import { CA_BUNDLE_VARIABLES } from '../command/environment.js';
import { isNodeRoot } from './node-roots.js';

/** A CA file and where it came from (`OS_CACERT`, `--os-cacert`, `--upstream-ca`). */
export interface CaFile {
  path: string;
  from: string;
}

/** What the user chose about upstream TLS (flags shared by `record` and `proxy`). */
export interface UpstreamSettings {
  /** `--upstream-ca FILE`s (absolute paths). */
  upstreamCaFiles?: string[];
  /** `--insecure-upstream`: upstream certificates are not verified. */
  insecureUpstream?: boolean;
}

/**
 * The trust the recorder uses upstream, and the CAs the command's bundle keeps. The certificate
 * blocks of the files are parsed where they are used (`upstreamCaList`, the command's bundle): a
 * system bundle holds ~150, of which a start needs none.
 */
export interface UpstreamTrust {
  /** PEM certificate blocks trusted upstream besides Node's default store (deduplicated). */
  pems: string[];
  /** The certificate blocks the command arrived with, to keep in the bundle it is given. */
  inheritedPems: string[];
  /** Header note: verification on or off, and the CA files it used. */
  header: UpstreamTls;
}

/** Commands whose `--os-cacert FILE` says which CA they trust (the OpenStack clients). */
const OPENSTACK_CLIENT = /^(openstack|swift|glance|nova|cinder|neutron|keystone|heat)$/;

/** `--os-cacert FILE` / `--os-cacert=FILE` in an OpenStack client's argv (last one wins, as argparse does). */
function osCacertArgument(argv: string[] | null): string | null {
  if (!argv?.[0] || !OPENSTACK_CLIENT.test(basename(argv[0]))) return null;
  let found: string | null = null;
  argv.forEach((arg, i) => {
    if (arg === '--os-cacert' && argv[i + 1] !== undefined) found = argv[i + 1] ?? null;
    else if (arg.startsWith('--os-cacert=')) found = arg.slice('--os-cacert='.length);
  });
  return found;
}

/**
 * The argv the command runs with: an OpenStack client's `--os-cacert` points at `bundlePath` (which
 * holds that CA too), as `OS_CACERT` does; else it would reject the recorder's certificates.
 */
export function argvWithBundle(argv: string[], bundlePath: string): string[] {
  if (osCacertArgument(argv) === null) return argv;
  return argv.map((arg, i) => {
    if (arg.startsWith('--os-cacert=')) return `--os-cacert=${bundlePath}`;
    return argv[i - 1] === '--os-cacert' && i > 1 ? bundlePath : arg;
  });
}

/** The CA files the command arrived with: its CA variables, then `--os-cacert`. */
export function inheritedCaFiles(env: NodeJS.ProcessEnv, argv: string[] | null, cwd: string): CaFile[] {
  const files: CaFile[] = [];
  for (const name of CA_BUNDLE_VARIABLES) {
    const value = env[name];
    if (value) files.push({ path: resolve(cwd, value), from: name });
  }
  const argument = osCacertArgument(argv);
  if (argument) files.push({ path: resolve(cwd, argument), from: '--os-cacert' });
  return files;
}

/**
 * The certificate blocks of one CA file; a file that cannot be read or holds no certificate is an
 * error. One block that parses is enough to know (a system bundle's first).
 */
function readCaFile(file: CaFile, reader: CaFileReader): string[] {
  let pems: string[];
  try {
    pems = reader.read(file.path).pems;
  } catch (err) {
    throw new Error(`cannot read ${file.path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!pems.some(isCertificate)) throw new Error(`${file.path} holds no PEM certificate`);
  return pems;
}

/** `fn()`'s result, or the error it threw. */
function attempt<T>(fn: () => T): T | Error {
  try {
    return fn();
  } catch (err) {
    return err as Error;
  }
}

/**
 * Reads the CA files (through `reader`, which the command's bundle shares). An `--upstream-ca` that
 * cannot be used is a usage error; an inherited one is only a warning (the command may never have
 * used it).
 */
export function upstreamTrust(
  settings: UpstreamSettings,
  command: { env: NodeJS.ProcessEnv; argv: string[] | null; cwd: string },
  warn: (message: string) => void,
  reader: CaFileReader = new CaFileReader(),
): UpstreamTrust {
  const explicit = (settings.upstreamCaFiles ?? []).map((path) => ({ path, from: '--upstream-ca' }));
  // Machines often name one bundle in several variables: each file is read and checked once.
  const read = new Map<string, string[] | Error>();
  const readOnce = (file: CaFile): string[] => {
    if (!read.has(file.path)) read.set(file.path, attempt(() => readCaFile(file, reader)));
    const pems = read.get(file.path);
    if (pems instanceof Error) throw pems;
    return pems ?? [];
  };
  const explicitPems = explicit.flatMap((file) => {
    try {
      return readOnce(file);
    } catch (err) {
      throw new UserError(`--upstream-ca ${file.path}: ${(err as Error).message}`, 2);
    }
  });
  const used: CaFile[] = [...explicit];
  const inheritedPems = inheritedCaFiles(command.env, command.argv, command.cwd).flatMap((file) => {
    try {
      const pems = readOnce(file);
      used.push(file);
      return pems;
    } catch (err) {
      warn(`${file.from}=${file.path} not trusted upstream: ${(err as Error).message}`);
      return [];
    }
  });
  const insecure = settings.insecureUpstream ?? false;
  return {
    pems: [...new Set([...explicitPems, ...inheritedPems])],
    inheritedPems: [...new Set(inheritedPems)],
    header: { verify: !insecure, caFiles: used },
  };
}

/**
 * The CAs of the upstream secure context: Node's roots plus the blocks of `pems` that are other
 * certificates (a system bundle repeats nearly all roots; a block that does not parse is no CA);
 * null with no `pems`: Node's default store. Made at the first HTTPS request, where the secure
 * context parses them all anyway.
 */
export function upstreamCaList(pems: string[]): string[] | null {
  if (pems.length === 0) return null;
  return [...rootCertificates, ...pems.filter((pem) => !isNodeRoot(pem) && isCertificate(pem))];
}

/** Certificate failures the user fixes with a CA (or by not verifying). */
const CERTIFICATE_ERROR = /CERT|ISSUER|SIGNATURE|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY|HOSTNAME/;

/** The one-line advice for an upstream failure a flag fixes, or null. */
export function upstreamAdvice(code: string, message: string, hostPort: string): string | null {
  if (CERTIFICATE_ERROR.test(code)) {
    return `cannot verify the TLS certificate of ${hostPort} (${code}: ${message}); trust its CA with --upstream-ca FILE (or OS_CACERT), or skip verification with --insecure-upstream`;
  }
  if (code === 'ETIMEDOUT' && /connect/.test(message)) {
    return `${hostPort}: ${message}; allow longer with --connect-timeout SECONDS`;
  }
  if (code === 'ETIMEDOUT') return `${hostPort}: ${message}; allow longer with --upstream-timeout SECONDS`;
  return null;
}
