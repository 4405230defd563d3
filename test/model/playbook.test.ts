import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parsePlaybook } from '../../src/model/playbook.js';
import { resolveCommand, splitWords } from '../../src/model/playbook-command.js';
import { expandTemplate, MissingVariable, templateTitle } from '../../src/model/playbook-template.js';
import { saveValue } from '../../src/model/saved-values.js';

function error(text: string): string {
  try {
    parsePlaybook(text, 'pb.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('parsed without an error');
}

describe('playbook YAML errors name file:line:column', () => {
  it.each([
    ['steps:\n  - page: a\n    run: [a, b\n', /^pb\.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a \]$/],
    ['steps:\n  - page: a\n    run: x\n    runn: y\n', /^pb\.yaml:4:5: steps\[0\]: unknown key "runn" \(keys: name, page, title/],
    ['tree: x\nsteps:\n  - name: a\n    run: x\n', /^pb\.yaml:3:5: steps\[0\]: page is required/],
    ['steps:\n  - page: a\n', /^pb\.yaml:2:5: steps\[0\]: run is required/],
    ['env:\n  OS_PASSWORD: hunter2\nsteps:\n  - {page: a, run: x}\n', /^pb\.yaml:2:16: env\.OS_PASSWORD: a secret is not written in a playbook; reference it from the environment \(\$\{OS_PASSWORD\}\)$/],
    ['steps:\n  - {name: a, page: a, run: x}\n  - {name: b, page: a, run: y}\n', /^pb\.yaml:3:5: steps\[1\]: page "a" is also the page of steps\[0\]$/],
    ['steps:\n  - page: a\n    run: x\n    save: { id: { json: id, regex: x } }\n', /^pb\.yaml:4:17: steps\[0\]\.save\.id: give exactly one of json: PATH or regex: PATTERN$/],
    ['steps:\n  - page: a\n    run: x\n    save: { id: { regex: "(" } }\n', /^pb\.yaml:4:26: steps\[0\]\.save\.id\.regex: Invalid regular expression/],
    ['steps:\n  - page: ../up\n    run: x\n', /^pb\.yaml:2:11: steps\[0\]\.page: "\.\.\/up" is not a page path/],
    ['steps:\n  - page: a\n    run: echo ${bad-name}\n', /^pb\.yaml:3:10: \$\{bad-name\} is not a variable reference/],
    ['steps:\n  - page: a\n    run: [echo]\n    shell: true\n', /^pb\.yaml:3:10: steps\[0\]\.run: shell: true takes the command as one string$/],
    ['listeners:\n  default: 3129\nsteps:\n  - {page: a, run: x}\n', /^pb\.yaml:2:3: listeners: "default" is not a listener name/],
    ['steps: []\n', /^pb\.yaml:1:1: steps: the list is empty$/],
    ['', /^pb\.yaml:1:1: the playbook is empty/],
  ])('%j', (text, message) => {
    expect(error(text)).toMatch(message);
  });
});

describe('playbook parsing', () => {
  it('reads steps with their commands, saves, conditions and env', () => {
    const pb = parsePlaybook(
      `tree: openstack/sequence
listeners:
  glance-api: \${LAB_RECORDER_PORT}
env:
  OS_PASSWORD: \${LAB_ADMIN_PASSWORD}
steps:
  - name: create
    page: image/create
    before: lab/restart-glance
    setup: [[rm, -f, x], [touch, x]]
    run: openstack image create -f json cirros
    save: { image_id: { json: id }, size: { regex: 'size (\\d+)', group: 1 } }
    expect: [0, 1]
    only: { env: WITH_IMAGES }
  - page: image/show
    run: openstack image show \${image_id} | head
    shell: true
    skip_if: [test, -e, skip]
`,
      'pb.yaml',
    );
    expect(pb.tree).toBe('openstack/sequence');
    expect(pb.listeners).toEqual([{ label: 'glance-api', port: '${LAB_RECORDER_PORT}', where: 'pb.yaml:3:15' }]);
    const [create, show] = pb.steps;
    expect(create?.setup).toEqual([{ kind: 'argv', argv: ['rm', '-f', 'x'] }, { kind: 'argv', argv: ['touch', 'x'] }]);
    expect(create?.before).toEqual([{ kind: 'words', text: 'lab/restart-glance' }]);
    expect(create?.save.map((s) => [s.name, s.source.kind])).toEqual([['image_id', 'json'], ['size', 'regex']]);
    expect(create?.expect).toEqual([0, 1]);
    expect(create?.only).toEqual({ kind: 'env', name: 'WITH_IMAGES' });
    expect(show?.name).toBe('image/show');
    expect(show?.run).toEqual({ kind: 'shell', script: 'openstack image show ${image_id} | head' });
    expect(show?.skipIf).toEqual({ kind: 'command', command: { kind: 'argv', argv: ['test', '-e', 'skip'] } });
  });
});

describe('commands and references', () => {
  const lookup = (name: string) => ({ image_id: 'a b', BASE: 'http://h' })[name];

  it('splits a string like a shell but runs none; pipes need shell: true', () => {
    expect(splitWords(`openstack image show "\${image_id}" --name 'two words'`)).toEqual(['openstack', 'image', 'show', '${image_id}', '--name', 'two words']);
    expect(() => splitWords('a | b')).toThrow(/"\|" needs a shell: write the step with shell: true/);
  });

  it('expands each word, so a value with spaces stays one argument; shell scripts get it quoted', () => {
    expect(resolveCommand({ kind: 'words', text: 'show ${image_id}' }, lookup)).toEqual(['show', 'a b']);
    expect(resolveCommand({ kind: 'argv', argv: ['curl', '${BASE}/x'] }, lookup)).toEqual(['curl', 'http://h/x']);
    expect(resolveCommand({ kind: 'shell', script: 'echo ${image_id} | wc -w' }, lookup)).toEqual(['/bin/sh', '-c', "echo 'a b' | wc -w"]);
  });

  it('names a missing value, keeps $${ literal, and shows references as {name} in titles', () => {
    expect(() => expandTemplate('x ${nope}', lookup)).toThrow(MissingVariable);
    expect(expandTemplate('$${image_id} ${image_id}', lookup)).toBe('${image_id} a b');
    expect(templateTitle('openstack image show ${image_id}')).toBe('openstack image show {image_id}');
  });
});

describe('save', () => {
  const rule = (source: Parameters<typeof saveValue>[0]['source']) => ({ name: 'v', source, where: 'pb.yaml:1:1' });

  it('takes a value from JSON output by path, and says what is missing', () => {
    const out = '[{"ID": "abc", "Size": 12}]';
    expect(saveValue(rule({ kind: 'json', path: [0, 'ID'] }), out)).toEqual({ kind: 'saved', name: 'v', value: 'abc' });
    expect(saveValue(rule({ kind: 'json', path: [0, 'Size'] }), out)).toEqual({ kind: 'saved', name: 'v', value: '12' });
    expect(saveValue(rule({ kind: 'json', path: [0, 'id'] }), out)).toMatchObject({ kind: 'missing', why: "stdout's JSON has no [0].id" });
    expect(saveValue(rule({ kind: 'json', path: ['id'] }), '+----+\n| id |')).toMatchObject({ kind: 'missing', why: expect.stringMatching(/^stdout is not JSON .*add -f json/) });
  });

  it('takes a value from text output by regex group', () => {
    const table = '+-------+----------+\n| id    | 3f2a-1   |\n| name  | cirros   |\n';
    expect(saveValue(rule({ kind: 'regex', pattern: /\|\s*id\s*\|\s*(\S+)/m, group: 1 }), table)).toEqual({ kind: 'saved', name: 'v', value: '3f2a-1' });
    expect(saveValue(rule({ kind: 'regex', pattern: /\|\s*uuid\s*\|\s*(\S+)/m, group: 1 }), table)).toMatchObject({ kind: 'missing' });
  });
});
