import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

// Placeholder until the issue that owns `flowscribe proxy` lands.
export const proxyCommand: CommandModule = {
  command: 'proxy',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('proxy: not built yet');
  },
};
