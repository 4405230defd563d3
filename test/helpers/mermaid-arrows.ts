/**
 * Reading a rendered page's sequence diagrams back: participants and arrows by participant name,
 * so a test can compare a diagram with an expected list of steps.
 */

export interface DiagramArrow {
  from: string;
  to: string;
  /** `->>` request or `-->>` response. */
  kind: 'request' | 'response';
  /** The arrow text (`GET /v3/auth/tokens`). */
  label: string;
}

export interface Diagram {
  /** Display names in declaration order. */
  participants: string[];
  arrows: DiagramArrow[];
}

/** Every ```` ``` mermaid ```` block of a Markdown page. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^[ \t]*``` ?mermaid[^\n]*\n([\s\S]*?)^[ \t]*```/gm)].map((m) => m[1] ?? '');
}

export function parseDiagram(source: string): Diagram {
  const names = new Map<string, string>();
  for (const m of source.matchAll(/^\s*participant\s+(\S+)\s+as\s+(.+?)\s*$/gm)) names.set(m[1] ?? '', m[2] ?? '');
  const arrows: DiagramArrow[] = [];
  for (const m of source.matchAll(/^\s*([^\s:>-]+)(-->>|->>)([^\s:]+):\s?(.*)$/gm)) {
    const [, from = '', link, to = '', label = ''] = m;
    arrows.push({
      from: names.get(from) ?? from,
      to: names.get(to) ?? to,
      kind: link === '->>' ? 'request' : 'response',
      label,
    });
  }
  return { participants: [...names.values()], arrows };
}

/** The page's most detailed diagram: the one with the most arrows. */
export function fullDiagram(markdown: string): Diagram {
  const diagrams = mermaidBlocks(markdown).map(parseDiagram);
  if (diagrams.length === 0) throw new Error('the page has no mermaid diagram');
  return diagrams.reduce((best, d) => (d.arrows.length > best.arrows.length ? d : best));
}

/** The `!!! note "variables"` admonition's `name`: `value` pairs. */
export function pageVariables(markdown: string): Map<string, string> {
  const block = /^!!! note "variables"\n((?:[ \t]+.*\n?)*)/m.exec(markdown)?.[1] ?? '';
  return new Map([...block.matchAll(/`([^`]+)`:\s*`([^`]*)`/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}
