import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

// Placeholder until the issue that owns `flowscribe render` lands.
export const renderCommand: CommandModule = {
  command: 'render',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('render: not built yet');
  },
};
