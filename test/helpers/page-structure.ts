/**
 * Reads a flowscribe-shaped page (the reference or a rendered one) back into its parts, so two
 * pages can be compared structurally: participants, arrows, sections, headings, admonitions.
 */

export interface PageArrow {
  from: string;
  to: string;
  kind: 'request' | 'response';
  label: string;
}

export interface PageSection {
  n: number;
  heading: string;
  httpTitle: string;
  headers: string[];
  bodyFence: string;
  body: string[];
}

export interface PageStructure {
  /** `#`/`##`/`###` lines, in order. */
  headings: string[];
  /** `!!!`/`???` lines, in order. */
  admonitions: string[];
  /** Participant display names of the diagram that has every arrow (the last one). */
  participants: string[];
  arrows: PageArrow[];
  sections: PageSection[];
  /** `name: value` lines of the variables admonition. */
  variables: string[];
  /** Lines of the launch.json block. */
  launchJson: string[];
  outputTitle: string;
  output: string[];
  /** The raw-log block's fence line and its `--8<--` line. */
  logBlock: string[];
  /** Number of mermaid diagrams. */
  diagrams: number;
  /** Non-empty, unindented lines outside fences that are not headings or admonitions. */
  prose: string[];
}

/** The lines of the fenced block opened at `start` (without the fences, indent removed). */
function blockAt(lines: string[], start: number): { body: string[]; end: number } {
  const open = lines[start] ?? '';
  const indent = /^\s*/.exec(open)?.[0] ?? '';
  const fence = /`{3,}/.exec(open)?.[0] ?? '```';
  let end = start + 1;
  while (end < lines.length && lines[end] !== `${indent}${fence}`) end += 1;
  return { body: lines.slice(start + 1, end).map((l) => l.slice(indent.length)), end };
}

function lastMermaid(lines: string[]): string[] {
  const starts = lines.flatMap((l, i) => (l === '``` mermaid' ? [i] : []));
  const last = starts[starts.length - 1];
  return last === undefined ? [] : blockAt(lines, last).body;
}

function diagram(lines: string[]): Pick<PageStructure, 'participants' | 'arrows'> {
  const names = new Map<string, string>();
  const arrows: PageArrow[] = [];
  for (const line of lastMermaid(lines)) {
    const p = /^\s+participant (\S+) as (.+)$/.exec(line);
    if (p?.[1] && p[2]) names.set(p[1], p[2]);
    const a = /^\s+(\S+?)(-->>|->>)(\S+?): (.*)$/.exec(line);
    if (a?.[1] && a[3] && a[4] !== undefined) {
      const kind = a[2] === '->>' ? 'request' : 'response';
      arrows.push({ from: names.get(a[1]) ?? a[1], to: names.get(a[3]) ?? a[3], kind, label: a[4] });
    }
  }
  return { participants: [...names.values()], arrows };
}

function sections(lines: string[]): PageSection[] {
  const out: PageSection[] = [];
  lines.forEach((line, i) => {
    const m = /^### \((\d+)\) /.exec(line);
    if (!m) return;
    const headerAt = lines.findIndex((l, j) => j > i && l.startsWith('    ``') && l.includes(' http title="'));
    const header = blockAt(lines, headerAt);
    const bodyAt = lines.findIndex((l, j) => j > header.end && /^ {4}`{3,} \w+ title=""/.test(l));
    const body = blockAt(lines, bodyAt);
    out.push({
      n: Number(m[1]),
      heading: line,
      httpTitle: /title="(.*)"/.exec(lines[headerAt] ?? '')?.[1] ?? '',
      headers: header.body,
      bodyFence: (lines[bodyAt] ?? '').trim(),
      body: body.body,
    });
  });
  return out;
}

function prose(lines: string[]): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const f = /^(`{3,})/.exec(line)?.[1];
    if (fence === null && f) fence = f;
    else if (fence !== null && line === fence) fence = null;
    else if (fence === null && /^[^\s#!?=`]/.test(line)) out.push(line);
  }
  return out;
}

export function pageStructure(markdown: string): PageStructure {
  const lines = markdown.split('\n');
  const variablesAt = lines.indexOf('!!! note "variables"');
  const variables: string[] = [];
  for (let i = variablesAt + 1; variablesAt >= 0 && (lines[i] ?? '').startsWith('    `'); i += 1) variables.push((lines[i] ?? '').trim());
  const launchAt = lines.findIndex((l) => l.includes('title="configuration .vscode/launch.json"'));
  const outputAt = lines.findIndex((l, i) => i > lines.indexOf('## Output') && l.startsWith('```'));
  return {
    headings: lines.filter((l) => /^#{1,3} /.test(l)),
    admonitions: lines.filter((l) => /^(!!!|\?\?\?) /.test(l)),
    ...diagram(lines),
    sections: sections(lines),
    variables,
    launchJson: launchAt < 0 ? [] : blockAt(lines, launchAt).body,
    outputTitle: /title="(.*)"/.exec(lines[outputAt] ?? '')?.[1] ?? '',
    output: outputAt < 0 ? [] : blockAt(lines, outputAt).body,
    logBlock: lines.filter((l) => /^ {4}`{3,} log title=|^ {4}--8<-- /.test(l)),
    diagrams: lines.filter((l) => l === '``` mermaid').length,
    prose: prose(lines),
  };
}
