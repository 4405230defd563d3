/**
 * `save:` rules applied to a command's stdout: a path into its JSON (`openstack … -f json`), or a
 * regex on its text. Each failure says which rule and what the output held instead, so a changed
 * client output format is a one-line error rather than an empty `${image_id}` later on.
 */
import type { SaveRule } from './playbook.js';

export type SavedValue = { kind: 'saved'; name: string; value: string } | { kind: 'missing'; name: string; why: string };

function describePath(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function followPath(doc: unknown, path: Array<string | number>): { value: unknown } | { failedAt: number } {
  let node = doc;
  for (const [i, part] of path.entries()) {
    if (typeof part === 'number' && Array.isArray(node) && part < node.length) node = node[part] as unknown;
    else if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, String(part))) {
      node = (node as Record<string, unknown>)[String(part)];
    } else return { failedAt: i };
  }
  return { value: node };
}

function fromJson(name: string, path: Array<string | number>, stdout: string): SavedValue {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    const start = stdout.trim().split('\n')[0]?.slice(0, 60) ?? '';
    return { kind: 'missing', name, why: `stdout is not JSON (it starts "${start}"; add -f json to the command, or save with regex:)` };
  }
  const found = followPath(doc, path);
  if ('failedAt' in found) return { kind: 'missing', name, why: `stdout's JSON has no ${describePath(path.slice(0, found.failedAt + 1))}` };
  const text = scalarText(found.value);
  if (text === null) return { kind: 'missing', name, why: `${describePath(path)} in stdout's JSON is not a string or number` };
  return { kind: 'saved', name, value: text };
}

/** Applies one rule to the command's stdout. */
export function saveValue(rule: SaveRule, stdout: string): SavedValue {
  const { source, name } = rule;
  if (source.kind === 'json') return fromJson(name, source.path, stdout);
  const m = source.pattern.exec(stdout);
  if (!m) return { kind: 'missing', name, why: `/${source.pattern.source}/ does not match stdout` };
  const value = m[source.group];
  if (value === undefined) return { kind: 'missing', name, why: `/${source.pattern.source}/ has no group ${source.group}` };
  return { kind: 'saved', name, value };
}
