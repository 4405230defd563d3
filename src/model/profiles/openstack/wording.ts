/**
 * The OpenStack page's wording, as the reference page has it: the full diagram is the one "with
 * limits" (the summary folds the unified-limits calls), the `openstack` command's section is the
 * OpenStack Client's, and an empty request body shows as `None` (the reference printed Python's
 * `request.body`).
 */
import type { PageWording } from '../profile.js';
import { summaryWording } from '../summary-wording.js';

/** How well-known clients name their command section. */
const CLIENT_COMMANDS: Record<string, { heading: string; blockTitle: string }> = {
  openstack: { heading: 'OpenStack Client Command', blockTitle: 'python3-openstackclient command' },
};

export const openstackWording: PageWording = {
  emptyRequestBody: 'None',
  summary: summaryWording({
    heading: 'Sequence Diagram (with limits)',
    anchor: '#sequence-diagram-with-limits',
    folded: { en: 'by default the unified-limits calls', ko: '쿼터 부분 제외' },
    koLink: 'Sequence Diagram(with limits)',
  }),
  commandSection: (program) => (Object.hasOwn(CLIENT_COMMANDS, program) ? (CLIENT_COMMANDS[program] ?? null) : null),
};
