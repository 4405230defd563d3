import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

// Placeholder until the issue that owns `flowscribe record` lands.
export const recordCommand: CommandModule = {
  command: 'record',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('record: not built yet');
  },
};
