/**
 * The page's fixed wording, per language. `ko` is the reference page's Korean wording; `en` is the
 * default. What the summary folds and how the command's section is called are the profile's
 * wording (model/profiles); everything else on the page comes from the capture.
 */
import type { Lang } from '../model/page-lang.js';
import type { PageWording, SummaryWording } from '../model/profiles/profile.js';

export interface Labels extends SummaryWording {
  /** Paragraph before the diagram. */
  intro: string;
  diagramHeading: string;
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

const EN: Omit<Labels, keyof SummaryWording> = {
  intro: 'The sequence diagram and the HTTP requests and responses recorded while running the command above:  ',
  diagramHeading: 'Sequence Diagram',
  backgroundNote:
    'Arrows marked `(background)` (on a grey band) are calls services made on their own while the command ran ' +
    '(periodic tasks): the command did not cause them. The summary leaves them out.  ',
  diagramAlt: 'sequence diagram',
  outputHeading: 'Output',
  emptyCapture: 'No HTTP exchanges were recorded.',
  noOutput: 'The recording did not finish, so the command\'s output was not recorded.',
  untitled: 'Recorded HTTP exchanges',
};

const KO: Omit<Labels, keyof SummaryWording> = {
  intro: '위 커맨드를 실행했을 때의 시퀀스 다이어그램 및 HTTP Request/Response 내용은 다음과 같다.  ',
  diagramHeading: 'Sequence Diagram',
  backgroundNote:
    '`(background)` 표시된 (회색 띠 위의) 화살표는 커맨드 실행 중 서비스가 스스로 보낸 주기적 요청으로, 커맨드가 일으킨 것이 아니다. 요약본에서는 제외된다.  ',
  diagramAlt: '시퀀스 다이어그램',
  outputHeading: 'Output',
  emptyCapture: '기록된 HTTP 요청이 없다.',
  noOutput: '기록이 끝나지 않아 커맨드의 출력이 기록되지 않았다.',
  untitled: '기록된 HTTP 요청',
};

/** The labels in `lang`, with the profile's wording of the summary. */
export function labelsFor(lang: Lang, wording: Pick<PageWording, 'summary'>): Labels {
  return { ...(lang === 'ko' ? KO : EN), ...wording.summary[lang] };
}

/** The command section's heading and block title: the profile's for a client it knows, else generic. */
export function commandLabels(program: string, wording: Pick<PageWording, 'commandSection'>): { heading: string; blockTitle: string } {
  return wording.commandSection(program) ?? { heading: 'Command', blockTitle: `${program} command` };
}
