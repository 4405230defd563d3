/**
 * The generic HTTP profile, for captures with no Keystone in them (and HAR from browsers):
 * participants are named by `host:port`, senders by their program, nothing is folded from the
 * summary unless the config says so, tokens have no owners, and an empty body is an empty tab.
 */
import type { Profile } from './profile.js';
import { summaryWording } from './summary-wording.js';

export const httpProfile: Profile = {
  name: 'http',
  participants: {
    services: () => () => null,
    knownProcesses: [],
    processForProject: () => null,
    isCommandClient: () => false,
    fallbackClient: 'client',
    aliases: {},
  },
  responseHints: () => [],
  describedTokens: () => [],
  tokenUses: [],
  accountPrefix: null,
  requestIdHeaders: ['x-request-id'],
  summaryExclude: [],
  wording: {
    emptyRequestBody: '',
    summary: summaryWording({
      heading: 'Sequence Diagram (all exchanges)',
      anchor: '#sequence-diagram-all-exchanges',
      folded: { en: 'the config\'s `summaryExclude`', ko: '설정의 `summaryExclude` 제외' },
    }),
    commandSection: () => null,
  },
};
