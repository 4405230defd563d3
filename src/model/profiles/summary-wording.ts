/**
 * The sentences under a summary diagram, in both languages, for a profile that names what its
 * summary folds and how its full diagram is headed.
 */
import type { Lang } from '../page-lang.js';
import type { SummaryWording } from './profile.js';

export interface SummaryWords {
  /** The full diagram's heading (`Sequence Diagram (with limits)`). */
  heading: string;
  /** The anchor mkdocs derives from the heading (`#sequence-diagram-with-limits`). */
  anchor: string;
  /** What the summary leaves out, per language (`by default the unified-limits calls`). */
  folded: Readonly<Record<Lang, string>>;
  /** The link text of the Korean note when it differs from the heading (the reference's spelling). */
  koLink?: string;
}

export function summaryWording({ heading, anchor, folded, koLink }: SummaryWords): Record<Lang, SummaryWording> {
  return {
    en: {
      fullDiagramHeading: heading,
      summaryNote:
        `This summary leaves out the folded exchanges (${folded.en}).  \n` +
        `Every exchange is in [${heading}](${anchor}); the numbers match the sections below.  `,
    },
    ko: {
      fullDiagramHeading: heading,
      summaryNote: `시퀀스 다이어그램 요약본이다. (${folded.ko})  \n보다 상세한 시퀀스 다이어그램은 [${koLink ?? heading}](${anchor}) 확인할 수 있다.  `,
    },
  };
}
