/**
 * The page's fixed wording, per language. `ko` is the reference page's Korean wording; `en` is the
 * default. Everything else on the page comes from the capture.
 */

export type Lang = 'en' | 'ko';

export const LANGS: readonly Lang[] = ['en', 'ko'];

export interface Labels {
  /** Paragraph before the diagram. */
  intro: string;
  diagramHeading: string;
  /** Heading of the full diagram when a summary diagram is shown first (its anchor is linked). */
  fullDiagramHeading: string;
  /** Paragraph under the summary diagram, linking to the full one. */
  summaryNote: string;
  /** Paragraph before the diagrams when some calls were background (services' periodic tasks). */
  backgroundNote: string;
  /** Alt text of a diagram image (`--svg`/`--png`). */
  diagramAlt: string;
  outputHeading: string;
  /** Shown instead of the diagram when the capture holds no exchanges. */
  emptyCapture: string;
  /** Shown in the Output section when the recording did not finish (no trailer). */
  noOutput: string;
  /** Page title when the capture has no command (recorded with `flowscribe proxy`). */
  untitled: string;
}

/** The anchor mkdocs derives from `fullDiagramHeading` in both languages. */
const FULL_ANCHOR = '#sequence-diagram-with-limits';

const EN: Labels = {
  intro: 'The sequence diagram and the HTTP requests and responses recorded while running the command above:  ',
  diagramHeading: 'Sequence Diagram',
  fullDiagramHeading: 'Sequence Diagram (with limits)',
  summaryNote:
    'This summary leaves out the folded exchanges (by default the unified-limits calls).  \n' +
    `Every exchange is in [Sequence Diagram (with limits)](${FULL_ANCHOR}); the numbers match the sections below.  `,
  backgroundNote:
    'Arrows marked `(background)` (on a grey band) are calls services made on their own while the command ran ' +
    '(periodic tasks): the command did not cause them. The summary leaves them out.  ',
  diagramAlt: 'sequence diagram',
  outputHeading: 'Output',
  emptyCapture: 'No HTTP exchanges were recorded.',
  noOutput: 'The recording did not finish, so the command\'s output was not recorded.',
  untitled: 'Recorded HTTP exchanges',
};

const KO: Labels = {
  intro: '위 커맨드를 실행했을 때의 시퀀스 다이어그램 및 HTTP Request/Response 내용은 다음과 같다.  ',
  diagramHeading: 'Sequence Diagram',
  fullDiagramHeading: 'Sequence Diagram (with limits)',
  summaryNote:
    '시퀀스 다이어그램 요약본이다. (쿼터 부분 제외)  \n' +
    `보다 상세한 시퀀스 다이어그램은 [Sequence Diagram(with limits)](${FULL_ANCHOR}) 확인할 수 있다.  `,
  backgroundNote:
    '`(background)` 표시된 (회색 띠 위의) 화살표는 커맨드 실행 중 서비스가 스스로 보낸 주기적 요청으로, 커맨드가 일으킨 것이 아니다. 요약본에서는 제외된다.  ',
  diagramAlt: '시퀀스 다이어그램',
  outputHeading: 'Output',
  emptyCapture: '기록된 HTTP 요청이 없다.',
  noOutput: '기록이 끝나지 않아 커맨드의 출력이 기록되지 않았다.',
  untitled: '기록된 HTTP 요청',
};

export function labelsFor(lang: Lang): Labels {
  return lang === 'ko' ? KO : EN;
}

/** How well-known clients name their command section (the reference's wording for openstack). */
const CLIENT_COMMANDS: Record<string, { heading: string; blockTitle: string }> = {
  openstack: { heading: 'OpenStack Client Command', blockTitle: 'python3-openstackclient command' },
};

export function commandLabels(program: string): { heading: string; blockTitle: string } {
  return CLIENT_COMMANDS[program] ?? { heading: 'Command', blockTitle: `${program} command` };
}
