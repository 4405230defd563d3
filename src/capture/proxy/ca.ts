/**
 * The recorder's certificate authority, created on first use. Layout (http-mitm-proxy's):
 * `<caDir>/certs/ca.pem` (the certificate clients must trust) and `<caDir>/keys/ca.private.key`.
 * The directory and the keys directory are 0700 and every key file 0600 — the CA key can sign a
 * certificate for any host, so no other local user may read it.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { createCaFiles } from './mitm-library.js';

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
    mkdirSync(join(caDir, 'keys'), { recursive: true, mode: 0o700 });
    mkdirSync(join(caDir, 'certs'), { recursive: true, mode: 0o755 }); // the certificate is public
    if (!existsSync(certPath) || !existsSync(keyPath)) await createCaFiles(caDir);
    restrictPermissions(caDir);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(`CA directory ${caDir}: cannot set up the CA (${e.code ?? e.message})`);
  }
  return { certPath, keyPath };
}

/** Re-applies the modes: http-mitm-proxy writes its files with the process umask. */
export function restrictPermissions(caDir: string): void {
  chmodSync(caDir, 0o700);
  chmodSync(join(caDir, 'keys'), 0o700);
  for (const name of readdirSync(join(caDir, 'keys'))) {
    if (name.endsWith('.key')) chmodSync(join(caDir, 'keys', name), 0o600);
  }
}
