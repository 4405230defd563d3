/**
 * Which certificate authorities the recorder trusts for its upstream connections: the ones the
 * wrapped command arrived with (`OS_CACERT`, `REQUESTS_CA_BUNDLE`, ..., `--os-cacert FILE`), so a
 * cloud behind a private CA records as it runs, plus `--upstream-ca FILE`s. Node's default store
 * stays trusted too.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import type { UpstreamTls } from '../../model/exchange.js';
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

/** The trust the recorder uses upstream, and the CAs the command's bundle keeps. */
export interface UpstreamTrust {
  /** PEM certificates trusted upstream besides Node's default store (deduplicated). */
  pems: string[];
  /** The certificates the command arrived with, to keep in the bundle it is given. */
  inheritedPems: string[];
  /** Header note: verification on or off, and the CA files it used. */
  header: UpstreamTls;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM text, each normalized (one line ending style, no surrounding text). */
export function pemCertificates(text: string): string[] {
  return [...text.matchAll(PEM_CERT)].map((m) => `${m[0].replace(/\r\n/g, '\n')}\n`);
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

/** The certificates of one CA file; a file that cannot be read or holds none is an error. */
function readCaFile(file: CaFile): string[] {
  let text: string;
  try {
    text = readFileSync(file.path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file.path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const pems = pemCertificates(text).filter((pem) => {
    if (isNodeRoot(pem)) return true;
    try {
      return Boolean(new X509Certificate(pem));
    } catch {
      return false;
    }
  });
  if (pems.length === 0) throw new Error(`${file.path} holds no PEM certificate`);
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
 * Reads the CA files. An `--upstream-ca` that cannot be used is a usage error; an inherited one is
 * only a warning (the command may never have used it).
 */
export function upstreamTrust(
  settings: UpstreamSettings,
  command: { env: NodeJS.ProcessEnv; argv: string[] | null; cwd: string },
  warn: (message: string) => void,
): UpstreamTrust {
  const explicit = (settings.upstreamCaFiles ?? []).map((path) => ({ path, from: '--upstream-ca' }));
  // Machines often name one bundle in several variables: each file is read and parsed once.
  const read = new Map<string, string[] | Error>();
  const readOnce = (file: CaFile): string[] => {
    if (!read.has(file.path)) read.set(file.path, attempt(() => readCaFile(file)));
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
