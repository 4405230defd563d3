import { describe, expect, it } from 'vitest';
import { escapeSnippetMarkers, fenceFor, fenceTitle, indentLater } from '../../src/render/fence.js';

describe('fences', () => {
  it('is longer than the longest backtick run, at least three', () => {
    expect(fenceFor('plain')).toBe('```');
    expect(fenceFor('a ``` b', '`````')).toBe('``````');
  });

  it('indents all lines but the first', () => {
    expect(indentLater('a\nb\n\nc')).toBe('a\n    b\n    \n    c');
  });

  it('makes titles safe in a title="..." attribute: quotes as entities, any run of line breaks one space', () => {
    expect(fenceTitle('GET /a "b"\r\n\nc\rd\ne')).toBe('GET /a &quot;b&quot; c d e');
    expect(fenceTitle('a\nb')).toBe('a b');
    expect(fenceTitle('a\rb')).toBe('a b');
    expect(fenceTitle('say "hi"')).toBe('say &quot;hi&quot;');
    expect(fenceTitle('GET http://x/v3?q=1')).toBe('GET http://x/v3?q=1');
  });

  it('escapes lines pymdownx.snippets would treat as includes', () => {
    expect(escapeSnippetMarkers('x\n  --8<-- "/etc/passwd"\n;--8<-- "a"\nnot --8<-- "b"\n--8<--\n-8<- "c"')).toBe(
      'x\n  ;--8<-- "/etc/passwd"\n;;--8<-- "a"\nnot --8<-- "b"\n;--8<--\n-8<- "c"',
    );
  });
});
