/**
 * Parsing of flag values that yargs leaves as strings, so each bad value gets one line naming the
 * flag (`--body-limit 1XB: not a size ...`) and exit 2.
 */
import { UserError } from '../errors.js';

/** A dedicated listener: requests arriving on it are attributed to `label`. */
export interface ListenSpec {
  label: string;
  /** 0 = ephemeral. */
  port: number;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function usage(message: string): UserError {
  return new UserError(message, 2);
}

/** `1048576`, `512k`, `512KiB`, `1MiB`, `1.5M`, `1g` → bytes (k/M/G are powers of 1024). */
export function parseSize(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(value.trim());
  const bytes = m?.[1] ? Math.floor(Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? NaN)) : NaN;
  if (!Number.isSafeInteger(bytes)) throw usage(`${flag} ${value}: not a size (bytes, or a number with k, M or G: 512k, 1MiB)`);
  return bytes;
}

/** A TCP port, 0–65535 (0 = ephemeral). */
export function parsePort(flag: string, value: string): number {
  const port = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw usage(`${flag} ${value}: not a port (0-65535, 0 = any free port)`);
  return port;
}

/** A duration in seconds (`120`, `0.5`), greater than 0 → milliseconds. */
export function parseSeconds(flag: string, value: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(seconds > 0 && seconds <= 24 * 3600)) throw usage(`${flag} ${value}: not a number of seconds (greater than 0, e.g. 30 or 0.5)`);
  return Math.round(seconds * 1000);
}

/** `glance-api=9400` → `{label: 'glance-api', port: 9400}`. */
export function parseListen(flag: string, value: string): ListenSpec {
  const eq = value.indexOf('=');
  const label = eq < 0 ? '' : value.slice(0, eq);
  if (!LABEL.test(label) || label === 'default') {
    throw usage(`${flag} ${value}: expected NAME=PORT with NAME made of letters, digits, '.', '_', '-' (not "default")`);
  }
  try {
    return { label, port: parsePort(flag, value.slice(eq + 1)) };
  } catch {
    throw usage(`${flag} ${value}: ${value.slice(eq + 1)} is not a port (0-65535, 0 = any free port)`);
  }
}

/** All `--listen`/`--service` values (with the flag each came from); names and fixed ports must be unique. */
export function parseListens(given: Array<{ flag: string; value: string }>): ListenSpec[] {
  const specs = given.map((g) => parseListen(g.flag, g.value));
  specs.forEach((spec, i) => {
    const clash = specs.findIndex((o) => o.label === spec.label || (spec.port !== 0 && o.port === spec.port));
    const [a, b] = [given[clash], given[i]];
    if (clash < i && a && b) throw usage(`${b.flag} ${b.value}: clashes with ${a.flag} ${a.value} (same name or port)`);
  });
  return specs;
}
