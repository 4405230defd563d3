import { describe, expect, it } from 'vitest';
import { argumentGroups, commandLine, commandLines, commandName, launchJson } from '../../src/render/command-view.js';

const argv = ['openstack', 'image', 'create', '--disk-format', 'qcow2', '--file', 'x.qcow2', '--public', 'cirros'];

describe('command view', () => {
  it('names the command by its leading words', () => {
    expect(commandName(argv)).toEqual(['openstack', 'image', 'create']);
    expect(commandName(['openstack', 'image', 'list'])).toEqual(['openstack', 'image', 'list']);
  });

  it('pairs options with values but keeps a trailing positional on its own line', () => {
    expect(argumentGroups(argv)).toEqual([['--disk-format', 'qcow2'], ['--file', 'x.qcow2'], ['--public'], ['cirros']]);
    expect(argumentGroups(['curl', '-s', '--max-time=3', 'http://x/'])).toEqual([['-s'], ['--max-time=3'], ['http://x/']]);
  });

  it('writes the bash block with continuation lines as the reference does', () => {
    expect(commandLines(argv)).toBe(
      '$ openstack image create \\\n  --disk-format qcow2 \\\n  --file x.qcow2 \\\n  --public \\\n  cirros',
    );
    expect(commandLines(['openstack', 'image', 'list'])).toBe('$ openstack image list');
  });

  it('quotes words a shell would split', () => {
    expect(commandLine(['echo', "it's here", 'a b'])).toBe(`echo 'it'\\''s here' 'a b'`);
  });

  it('builds a valid launch.json from argv, the resolved program and the OS_* environment only', () => {
    const text = launchJson(argv, { OS_USERNAME: 'admin', OS_PASSWORD: '***', HOME: '/root' }, '/usr/bin/openstack');
    const file = JSON.parse(text) as { version: string; configurations: Array<Record<string, unknown>> };
    expect(file.version).toBe('0.2.0');
    expect(file.configurations).toEqual([{
      name: 'Python: openstack image create',
      type: 'debugpy',
      request: 'launch',
      program: '/usr/bin/openstack',
      args: argv.slice(1),
      env: { OS_USERNAME: 'admin', OS_PASSWORD: '***' },
      console: 'integratedTerminal',
      justMyCode: false,
    }]);
  });

  it('falls back to the command name when the capture has no resolved program', () => {
    const file = JSON.parse(launchJson(argv, {})) as { configurations: Array<{ program: string }> };
    expect(file.configurations[0]?.program).toBe('openstack');
  });
});
