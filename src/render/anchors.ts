/**
 * Anchors of the page's headings as mkdocs builds them (Python-Markdown `toc`'s default slugify:
 * NFKD, ASCII only, drop what is not a word character, space or hyphen, lower case, runs of spaces
 * and hyphens → `-`), so tables can link to the `### (n)` sections.
 */
export function slugify(heading: string): string {
  const ascii = heading.normalize('NFKD').replace(/[^\x00-\x7F]/g, '');
  return ascii.replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[-\s]+/g, '-');
}

/** The anchor of `### (n) label`. */
export function sectionAnchor(n: number, label: string): string {
  return slugify(`(${n}) ${label}`);
}
