/** `flowscribe ca`: print the path of the recorder's CA certificate, creating the CA on first use. */
import type { CommandSpec } from './command.js';
import { resolve } from 'node:path';
import { ensureCa } from '../capture/proxy/ca.js';
import { recordDefaults } from '../defaults.js';

interface CaArgs {
  'ca-dir'?: string;
}

export const caCommand: CommandSpec<CaArgs> = {
  builder: (y) => y.option('ca-dir', { type: 'string', describe: 'directory of the recorder CA (default: ~/.flowscribe/ca)' }),
  run: async (args) => {
    const ca = await ensureCa(resolve(args['ca-dir'] ?? recordDefaults.caDir));
    process.stdout.write(`${ca.certPath}\n`);
    return 0;
  },
};
