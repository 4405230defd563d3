/**
 * Reading a YAML document node by node, so every error names `file:line:column` of the node it is
 * about (the `yaml` library keeps each node's source range; a LineCounter turns offsets into lines).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors.js';

/** A parsed file plus what errors need to say where they are. */
export class YamlSource {
  private readonly lines = new LineCounter();
  readonly root: Node | null;

  constructor(readonly file: string, text: string) {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) throw new UserError(`${this.at(first.pos[0])}: ${first.message.split('\n')[0] ?? 'not valid YAML'}`);
    this.root = (doc.contents as Node | null) ?? null;
  }

  /** `file:line:column` of a source offset. */
  at(offset: number): string {
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  /** `file:line:column` of a node (or of the file's start). */
  where(node: Node | null | undefined): string {
    return this.at(node?.range?.[0] ?? 0);
  }

  /** A UserError pointing at a node. */
  error(node: Node | null | undefined, message: string): UserError {
    return new UserError(`${this.where(node)}: ${message}`);
  }

  /** The pairs of a mapping, checked against the keys allowed there. */
  mapping(node: Node | null | undefined, what: string, allowed: readonly string[] | null): Map<string, { key: Node; value: Node | null }> {
    if (!isMap(node)) throw this.error(node, `${what} must be a mapping`);
    const out = new Map<string, { key: Node; value: Node | null }>();
    for (const pair of (node as YAMLMap).items as Array<Pair<Node, Node | null>>) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value !== 'string') throw this.error(key, `${what}: keys must be plain strings`);
      if (allowed && !allowed.includes(key.value)) {
        throw this.error(key, `${what}: unknown key "${key.value}" (keys: ${allowed.join(', ')})`);
      }
      out.set(key.value, { key, value: pair.value });
    }
    return out;
  }

  /** A string scalar (numbers and booleans are taken as written, e.g. a port `3129`). */
  string(node: Node | null | undefined, what: string): string {
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') throw this.error(node, `${what} must be a string`);
    return String(node.value);
  }

  /** The items of a sequence. */
  sequence(node: Node | null | undefined, what: string): Node[] {
    if (!isSeq(node)) throw this.error(node, `${what} must be a list`);
    return node.items as Node[];
  }

  /** A whole number. */
  integer(node: Node | null | undefined, what: string): number {
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) throw this.error(node, `${what} must be a whole number`);
    return node.value;
  }

  /** true/false. */
  boolean(node: Node | null | undefined, what: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') throw this.error(node, `${what} must be true or false`);
    return node.value;
  }
}

export { isMap, isScalar, isSeq };
export type { Node };
