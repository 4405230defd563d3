import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

// Placeholder until the issue that owns `flowscribe ca` lands.
export const caCommand: CommandModule = {
  command: 'ca',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('ca: not built yet');
  },
};
