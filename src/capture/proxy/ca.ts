/**
 * The recorder's certificate authority, created on first use. Layout (http-mitm-proxy's):
 * `<caDir>/certs/ca.pem` (the certificate clients must trust) and `<caDir>/keys/ca.private.key`.
 * The directory and the keys directory are 0700 and every key file 0600 — the CA key can sign a
 * certificate for any host, so no other local user may read it.
 * Several recorders may start at once on a CA directory that has no CA yet (a playbook, parallel
 * tests): one of them creates it while the others wait, or each would write its own key pair over
 * the others' and clients would trust a certificate that no longer signs the leaves.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { createCaFiles } from './mitm-library.js';
import { makeDirectory } from '../../make-directory.js';

export interface CaFiles {
  /** PEM certificate of the CA. */
  certPath: string;
  /** PEM private key of the CA (mode 0600). */
  keyPath: string;
}

/** Makes sure the CA exists in `caDir` with safe permissions; returns its file paths. */
export async function ensureCa(caDir: string): Promise<CaFiles> {
  const certPath = join(caDir, 'certs', 'ca.pem');
  const keyPath = join(caDir, 'keys', 'ca.private.key');
  try {
    makeDirectory(join(caDir, 'keys'), 0o700);
    makeDirectory(join(caDir, 'certs'), 0o755); // the certificate is public
    if (!existsSync(certPath) || !existsSync(keyPath)) await createOnce(caDir, () => existsSync(certPath) && existsSync(keyPath));
    restrictPermissions(caDir);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new UserError(`CA directory ${caDir}: cannot set up the CA (${e.code ?? e.message})`);
  }
  return { certPath, keyPath };
}

/** How long a recorder waits for another one to finish creating the CA (RSA key generation takes seconds). */
const CREATION_WAIT_MS = 60_000;

/** Creates the CA unless another process is doing so (an exclusive lock file); then waits for that one. */
async function createOnce(caDir: string, created: () => boolean): Promise<void> {
  const lock = join(caDir, 'keys', '.creating');
  while (!created()) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await waitForCreation(caDir, lock); // then look again: that creation may have failed
      continue;
    }
    try {
      if (!created()) await createCaFiles(caDir); // finished by another between our check and the lock
    } finally {
      closeSync(fd);
      unlinkSync(lock);
    }
  }
}

async function waitForCreation(caDir: string, lock: string): Promise<void> {
  for (let waited = 0; existsSync(lock); waited += 50) {
    if (waited >= CREATION_WAIT_MS) {
      throw new UserError(`CA directory ${caDir}: another flowscribe has been creating the CA for ${CREATION_WAIT_MS / 1000} s`, 1, `if none is running, remove ${lock}`);
    }
    await sleep(50);
  }
}

/** Re-applies the modes: http-mitm-proxy writes its files with the process umask. */
export function restrictPermissions(caDir: string): void {
  chmodSync(caDir, 0o700);
  chmodSync(join(caDir, 'keys'), 0o700);
  for (const name of readdirSync(join(caDir, 'keys'))) {
    if (name.endsWith('.key')) chmodSync(join(caDir, 'keys', name), 0o600);
  }
}

/**
 * Whether a leaf key and certificate found in the CA directory belong together and were signed by
 * its CA: a recorder that generated the same host's leaf at the same time as another may have left
 * one's key next to the other's certificate, and a CA replaced since leaves stale leaves behind.
 */
export function storedLeafUsable(caDir: string, key: Buffer, cert: Buffer): boolean {
  try {
    const leaf = new X509Certificate(cert);
    const ca = new X509Certificate(readFileSync(join(caDir, 'certs', 'ca.pem')));
    return leaf.checkPrivateKey(createPrivateKey(key)) && leaf.verify(ca.publicKey);
  } catch {
    return false;
  }
}
