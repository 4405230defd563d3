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

  it('builds the launch.json configuration from argv and the OS_* environment only', () => {
    const text = launchJson(argv, { OS_USERNAME: 'admin', OS_PASSWORD: '***', HOME: '/root' });
    expect(text).toContain('    "args": ["image", "create", \n        "--disk-format", "qcow2", \n');
    expect(text).toContain('    "env": {\n        "OS_USERNAME": "admin",\n        "OS_PASSWORD": "***"\n    },\n');
    expect(text).not.toContain('HOME');
  });
});
