/** Defaults shared by the `record`/`proxy` CLI and the recording library (one place, one value). */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const recordDefaults = {
  /** Listeners bind loopback only unless the user says otherwise. */
  host: '127.0.0.1',
  /** 0 = an ephemeral port. */
  port: 0,
  /** Bytes of each body kept in the capture (1 MiB). */
  bodyLimitBytes: 1024 * 1024,
  /** Directory of default capture paths, relative to the working directory. */
  capturesDir: 'captures',
  /** Idle time towards an upstream (no bytes either way) before the client gets 504 (`--upstream-timeout`). */
  upstreamTimeoutMs: 120_000,
  /** The recorder's CA (cert and key, key mode 0600), created on first use. */
  caDir: join(homedir(), '.flowscribe', 'ca'),
};
