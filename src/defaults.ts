/** Every default of flowscribe, one place, one value: recording, rendering, the site, images. */
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

/** Rendering (`render`, `site`, `playbook`, `diff`). */
export const RENDER_DEFAULTS = {
  /** Where `flowscribe render` writes `<capture name>.md` without `-o`. */
  outDir: 'docs',
  /** Config file read from the current directory when present and no `--config` is given. */
  configFile: 'flowscribe.config.json',
  lang: 'en',
  /** `auto`: the OpenStack profile when the capture shows Keystone, else generic HTTP. */
  profile: 'auto',
  secrets: 'mask',
  launchJson: false,
  timings: false,
  tokens: false,
} as const;

/** Where Debian's `chromium` package puts the browser (`--svg`, `--png`, the browser tests). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
