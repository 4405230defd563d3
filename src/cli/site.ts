import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

// Placeholder until the issue that owns `flowscribe site` lands.
export const siteCommand: CommandModule = {
  command: 'site',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('site: not built yet');
  },
};
