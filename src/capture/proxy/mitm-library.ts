/**
 * http-mitm-proxy, loaded with only what a recorder's start needs (issue 13).
 *
 * The library's proxy module requires, when it loads, its CA module with node-forge (42 + 7 of the
 * 89 files the library loaded, the biggest share of `flowscribe record -- true`'s own start), uuid
 * and async; its `listen()` parses the CA key with node-forge. Yet the CA is only needed to sign a
 * leaf certificate for a host met for the first time (leaves are kept in the CA directory) or to
 * create a CA. So while the proxy module loads, those modules are stand-ins (entries in Node's
 * require cache, which Node documents as replaceable), and the real ones are loaded on first need.
 * The CA's stand-in covers the calls the pinned version (1.1.0) makes on its CA: `CA.create` in
 * `listen()`, `generateServerCertificateKeys` on its per-host server path (the listener replaces
 * that path and signs leaves through `leafKeys`).
 */
import Module, { createRequire } from 'node:module';
import { createPrivateKey, createPublicKey, randomUUID, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CA as LibraryCa } from 'http-mitm-proxy/dist/lib/ca.js';
import { UserError } from '../../errors.js';
import { websocketStandIn, type WsModule } from './websocket-stand-in.js';

const require = createRequire(import.meta.url);
const CA_MODULE = require.resolve('http-mitm-proxy/dist/lib/ca.js');

type CaCallback = (err: Error | null | undefined, ca?: LibraryCa | DeferredCa) => void;

/** The library's CA class itself (node-forge comes with it). */
function libraryCa(): typeof LibraryCa {
  return (require(CA_MODULE) as typeof import('http-mitm-proxy/dist/lib/ca.js')).CA;
}

/** The library's CA of `caDir`: loaded from its files, or created there when it has none. */
function libraryCaOf(caDir: string): Promise<LibraryCa> {
  return new Promise((resolve, reject) =>
    libraryCa().create(caDir, (err: Error | null | undefined, ca: LibraryCa) => (err ? reject(err) : resolve(ca))),
  );
}

/** Creates the CA files in `caDir` (`certs/ca.pem`, `keys/ca.private.key`) unless they exist. */
export async function createCaFiles(caDir: string): Promise<void> {
  await libraryCaOf(caDir);
}

/** The CA files the library's `loadCA` reads, with Node's parser for each (fast: no node-forge). */
const CA_FILES: Array<[path: string, what: string, parse: (pem: string) => unknown]> = [
  ['certs/ca.pem', 'a PEM certificate', (pem) => new X509Certificate(pem)],
  ['keys/ca.private.key', 'a PEM private key', createPrivateKey],
  ['keys/ca.public.key', 'a PEM public key', createPublicKey],
];

/**
 * What `listen()` learnt when it loaded the CA, without loading it: the files are readable and
 * parse. A broken CA is still reported when the recorder starts, not at a command's first CONNECT.
 */
function caFilesProblem(caDir: string): UserError | null {
  for (const [path, what, parse] of CA_FILES) {
    let pem: string;
    try {
      pem = readFileSync(join(caDir, path), 'utf8');
    } catch (err) {
      return new UserError(`CA directory ${caDir}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
    try {
      parse(pem);
    } catch {
      return new UserError(`CA directory ${caDir}: ${path} is not ${what}`);
    }
  }
  return null;
}

/** Stands in for the library's CA in `listen()`: the real one is loaded when first needed. */
class DeferredCa {
  private loaded: Promise<LibraryCa> | null = null;

  private constructor(private readonly caDir: string) {}

  static create(caDir: string, callback: CaCallback): void {
    // Without a CA the library creates one at once; so does its stand-in.
    if (!existsSync(join(caDir, 'certs', 'ca.pem'))) return libraryCa().create(caDir, callback);
    const problem = caFilesProblem(caDir);
    if (problem) callback(problem);
    else callback(null, new DeferredCa(caDir));
  }

  /** The real CA, loaded once (a failure is not kept: the next leaf tries again). */
  load(): Promise<LibraryCa> {
    if (!this.loaded) {
      this.loaded = libraryCaOf(this.caDir);
      this.loaded.catch(() => (this.loaded = null));
    }
    return this.loaded;
  }

  /** The library's signature, for its own per-host server path (which reports errors on the console). */
  generateServerCertificateKeys(hosts: string | string[], callback: (certPem: string, keyPem: string) => void): void {
    this.load().then(
      (ca) => ca.generateServerCertificateKeys(hosts, callback),
      (err: Error) => console.error(`Failed to load the CA from ${this.caDir}`, err),
    );
  }
}

/** A new leaf key and certificate for `hostname`, signed by the proxy's CA (which stores them in its directory). */
export async function leafKeys(ca: LibraryCa, hostname: string): Promise<{ key: string; cert: string }> {
  const signer = ca instanceof DeferredCa ? await ca.load() : ca;
  return new Promise((resolve) => signer.generateServerCertificateKeys([hostname], (cert: string, key: string) => resolve({ key, cert })));
}

/** `require(path)` at the first call (the stand-in is out of the require cache by then), the same module after. */
function requireLater<T>(path: string): () => T {
  let real: T | undefined;
  return () => (real ??= require(path) as T);
}

/**
 * A module required at its first use: reading any of its exports loads the real one. `__esModule`
 * is only what the importer's TypeScript helper probes at load time, not a use.
 */
function requiredOnUse(path: string): object {
  const real = requireLater<Record<PropertyKey, unknown>>(path);
  return new Proxy({}, { get: (_, key) => (key === '__esModule' ? undefined : real()[key]) });
}

/**
 * The modules of the library's own dependencies stood in for while its proxy module loads: its CA
 * (above); `uuid`, of which it only calls `v4()` with no arguments, which is `crypto.randomUUID()`
 * (what uuid 9 itself returns then; 16 files); `async` (one 200 kB file), first used at a CONNECT
 * (plain requests no longer take the library's request path: see `listener.ts`); and `ws` (14
 * files), first used when a client asks for a WebSocket.
 */
function standIns(): Map<string, object> {
  const fromLibrary = createRequire(require.resolve('http-mitm-proxy/dist/lib/proxy.js'));
  const [asyncModule, wsModule] = [fromLibrary.resolve('async'), fromLibrary.resolve('ws')];
  return new Map<string, object>([
    [CA_MODULE, { __esModule: true, CA: DeferredCa, default: DeferredCa }],
    [fromLibrary.resolve('uuid'), { v4: () => randomUUID() }],
    [asyncModule, requiredOnUse(asyncModule)],
    [wsModule, websocketStandIn(requireLater<WsModule>(wsModule))],
  ]);
}

/** The library's proxy class, loaded with the stand-ins (each unless the real module is loaded already). */
function loadProxyClass(): typeof import('http-mitm-proxy').Proxy {
  const placed: string[] = [];
  for (const [path, exports] of standIns()) {
    if (require.cache[path]) continue;
    const standIn = new Module(path);
    standIn.filename = path;
    standIn.loaded = true;
    standIn.exports = exports;
    require.cache[path] = standIn;
    placed.push(path);
  }
  try {
    return (require('http-mitm-proxy') as typeof import('http-mitm-proxy')).Proxy;
  } finally {
    // Only the proxy module holds the stand-ins; any later `require` gets the real module.
    for (const path of placed) delete require.cache[path];
  }
}

export const MitmProxy = loadProxyClass();
