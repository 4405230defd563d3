import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import { maskPasswords, redactCapture, redactEnvironment, redactExchange, redactFrame } from '../../src/model/redact.js';
import { maskArgv } from '../../src/model/redact-argv.js';
import { MASK, MASK_ALL } from '../../src/model/redact-policy.js';
import { osEnvironment } from '../../src/capture/command/environment.js';
import { buildTimeline, type TimelineOptions } from '../../src/model/timeline.js';
import { openstackProfile } from '../../src/model/profiles/openstack/profile.js';
import { tokenLabels } from '../../src/model/token-owners.js';
import { makeExchange } from '../helpers/exchanges.js';
import { openstackCapture, openstackExchanges, PASSWORD, TOKENS } from '../helpers/openstack-capture.js';

function timeline(secrets: TimelineOptions['secrets']) {
  return buildTimeline(openstackCapture(), { config: defaultConfig(), secrets, view: 'full', include: [], exclude: [] });
}

const everything = (t: ReturnType<typeof timeline>) =>
  JSON.stringify(t.arrows.map((a) => [a.message, a.exchange.request, a.exchange.response]));

describe('secrets', () => {
  it('masks the Keystone auth password by default, keeping body size and hash', () => {
    const t = timeline('mask');
    const auth = t.arrows[2]!;
    expect(auth.label).toBe('POST /identity/v3/auth/tokens');
    expect(JSON.parse(auth.message.body.data).auth.identity.password.user.password).toBe('***');
    expect(JSON.parse(auth.message.body.data).auth.identity.methods).toEqual(['password']);
    expect(auth.message.body.sha256).toBe(openstackExchanges()[1]!.request.body.sha256);
    expect(everything(t)).not.toContain(`"${PASSWORD}"`);
    expect(everything(t)).toContain(TOKENS.admin);
  });

  it('masks password-like keys, form fields and Basic credentials but not other values', () => {
    const text = '{\n  "password": "a\\"b",\n  "client_secret": "s",\n  "adminPass": "p",\n  "password_expires_at": null,\n  "name": "password"\n}';
    expect(maskPasswords(text)).toBe('{\n  "password": "***",\n  "client_secret": "***",\n  "adminPass": "***",\n  "password_expires_at": null,\n  "name": "password"\n}');
    expect(maskPasswords('username=a&password=b%20c&x=1')).toBe('username=a&password=***&x=1');
    const basic = makeExchange({ seq: 1, requestHeaders: [['Authorization', 'Basic YWRtaW46c2VjcmV0']] });
    const capture = openstackCapture([basic]);
    expect(redactCapture(capture, 'mask').exchanges[0]!.request.headers).toEqual([['Authorization', 'Basic ***']]);
    expect(redactCapture(capture, 'raw').exchanges[0]!.request.headers).toEqual([['Authorization', 'Basic YWRtaW46c2VjcmV0']]);
  });

  it('masks OS_PASSWORD-like variables of the recorded environment', () => {
    const env = { OS_PASSWORD: 'x', OS_TOKEN: 't', OS_CLIENT_SECRET: 's', OS_USERNAME: 'admin' };
    expect(redactEnvironment(env, 'mask')).toEqual({ OS_PASSWORD: '***', OS_TOKEN: '***', OS_CLIENT_SECRET: '***', OS_USERNAME: 'admin' });
    expect(redactCapture(openstackCapture(), 'label').header.environment['OS_PASSWORD']).toBe('***');
    expect(redactCapture(openstackCapture(), 'raw').header.environment['OS_PASSWORD']).toBe(PASSWORD);
  });

  it('label mode names each token after its owner, in headers and bodies', () => {
    expect([...tokenLabels(openstackCapture(), openstackProfile).values()]).toEqual(['{token: admin@admin}', '{token: glance@service}']);
    const t = timeline('label');
    const all = everything(t);
    expect(all).not.toContain(TOKENS.admin);
    expect(all).not.toContain(TOKENS.glance);
    expect(all).not.toContain(`"${PASSWORD}"`);
    const issued = t.arrows[3]!.message.headers;
    expect(issued).toContainEqual(['X-Subject-Token', '{token: admin@admin}']);
    const swift = t.arrows.find((a) => a.label.startsWith('HEAD'))!;
    expect(swift.message.headers).toEqual([['x-auth-token', "b'{token: glance@service}'"]]);
  });

  it('label mode distinguishes system scope, same owners and tokens from before the recording', () => {
    const issue = (seq: number, token: string, scope: object) =>
      makeExchange({
        seq, method: 'POST', url: 'http://k/v3/auth/tokens', status: 201, responseHeaders: [['X-Subject-Token', token]],
        responseBody: JSON.stringify({ token: { user: { name: 'glance' }, ...scope } }),
      });
    const capture = openstackCapture([
      issue(1, 'tok-a', { system: { all: true } }),
      issue(2, 'tok-b', { project: { name: 'service' } }),
      issue(3, 'tok-c', { project: { name: 'service' } }),
      makeExchange({ seq: 4, requestHeaders: [['X-Auth-Token', 'tok-old']] }),
    ]);
    expect([...tokenLabels(capture, openstackProfile).entries()]).toEqual([
      ['tok-a', '{token: glance@system}'],
      ['tok-b', '{token: glance@service}'],
      ['tok-c', '{token: glance@service#2}'],
      ['tok-old', '{token: unknown-1}'],
    ]);
  });

  it('label mode also replaces tokens of other shapes (PKI base64 with + and /) wherever they appear', () => {
    const pki = 'MIIB+abc/def==';
    const capture = openstackCapture([
      makeExchange({ seq: 1, requestHeaders: [['X-Auth-Token', pki]], requestBody: JSON.stringify({ note: `t=${pki}` }) }),
    ]);
    const shown = redactCapture(capture, 'label').exchanges[0]!.request;
    expect(shown.headers).toEqual([['X-Auth-Token', '{token: unknown-1}']]);
    expect(shown.body.data).toBe('{"note":"t={token: unknown-1}"}');
  });

  it('raw mode shows everything as recorded', () => {
    const all = everything(timeline('raw'));
    expect(all).toContain(`\\"password\\":\\"${PASSWORD}\\"`);
    expect(all).toContain(TOKENS.admin);
  });

  it('masks password options on the command line (--os-password X, --password=X) unless raw', () => {
    const argv = ['openstack', '--os-password', 'hunter2', 'image', 'list', '--password=s3cret', '--os-client-secret', 'x', '--name', 'hunter2-image'];
    expect(maskArgv(argv, MASK_ALL)).toEqual(['openstack', '--os-password', '***', 'image', 'list', '--password=***', '--os-client-secret', '***', '--name', 'hunter2-image']);
    const capture = openstackCapture();
    const withArgs = { ...capture, header: { ...capture.header, argv } };
    expect(redactFrame(withArgs, 'mask').header.argv).not.toContain('hunter2');
    expect(redactFrame(withArgs, 'raw').header.argv).toContain('hunter2');
  });

  it('masks a secret cut by the body limit, keeps look-alike names, and sweeps long copies only', () => {
    expect(maskPasswords('{"auth": {"password": "hunter2-cut-he')).toBe('{"auth": {"password": "***');
    const kept = '{"password_expires_at": null, "public_key": "ssh-ed25519 AAAA", "secret_ref": "http://k/v1/secrets/1", "name": "keystone"}';
    expect(maskPasswords(kept)).toBe(kept);
    const table = '| Field  | Value        |\n| id     | ac1          |\n| secret | s3cr3t       |\n';
    expect(maskPasswords(table)).toBe('| Field  | Value        |\n| id     | ac1          |\n| secret | ***       |\n');
    expect(maskPasswords('retry with password=hunter2 now')).toBe('retry with password=*** now');
    const long = 'a-long-secret-value-1';
    const capture = openstackCapture([
      makeExchange({ seq: 1, requestBody: JSON.stringify({ secret: long, short: 'x' }) }),
      makeExchange({ seq: 2, responseBody: JSON.stringify({ note: `copied ${long} here`, again: 'a-long-secret-value-10' }) }),
      makeExchange({ seq: 3, requestBody: JSON.stringify({ password: 'admin' }), responseBody: JSON.stringify({ user: 'admin' }) }),
    ]);
    const shown = redactCapture(capture, 'mask').exchanges;
    expect(shown[1]!.response!.body.data).toBe('{"note":"copied *** here","again":"a-long-secret-value-10"}');
    // A short password is masked where it is recognised, not everywhere (it would eat the page).
    expect(shown[2]!.response!.body.data).toBe('{"user":"admin"}');
  });

  it('mask mode keeps Keystone token headers but masks tokens elsewhere; label mode labels what it knows', () => {
    const capture = openstackCapture([
      makeExchange({ seq: 1, url: 'http://k/v3/x?token=qtok-123456', requestHeaders: [['X-Auth-Token', TOKENS.admin], ['Authorization', 'Bearer jwt.abc.def']] }),
    ]);
    const masked = redactCapture(capture, 'mask').exchanges[0]!.request;
    expect(masked.url).toBe('http://k/v3/x?token=***');
    expect(masked.headers).toEqual([['X-Auth-Token', TOKENS.admin], ['Authorization', 'Bearer ***']]);
    const labelled = redactCapture(capture, 'label').exchanges[0]!.request;
    expect(labelled.headers).toEqual([['X-Auth-Token', '{token: unknown-1}'], ['Authorization', 'Bearer {token: unknown-2}']]);
    expect(labelled.url).toBe('http://k/v3/x?token=***'); // a token seen nowhere else has no owner to name
  });

  it('masks a repeated URL the same way every time, and sweeps the secrets it held (URLs are masked once each)', () => {
    const a = 'http://k/v3/x?password=first-long-secret-1';
    const b = 'http://k/v3/x?password=other-long-secret-2';
    const capture = openstackCapture([
      makeExchange({ seq: 1, url: a }),
      makeExchange({ seq: 2, url: b }),
      makeExchange({ seq: 3, url: a, responseBody: '{"a":"first-long-secret-1","b":"other-long-secret-2"}' }),
      makeExchange({ seq: 4, url: b }),
    ]);
    const shown = redactCapture(capture, 'mask').exchanges;
    expect(shown.map((e) => e.request.url)).toEqual(['http://k/v3/x?password=***', 'http://k/v3/x?password=***', 'http://k/v3/x?password=***', 'http://k/v3/x?password=***']);
    expect(shown[2]!.response!.body.data).toBe('{"a":"***","b":"***"}');
  });

  it('one policy for the recorder and the page: the same variables are secret', () => {
    const env = { OS_PASSWORD: 'p', OS_TOKEN: 't', OS_AUTH_TOKEN: 'a', OS_APPLICATION_CREDENTIAL_SECRET: 's', OS_CLIENT_SECRET: 'c', OS_USERNAME: 'admin', OS_AUTH_URL: 'http://k' };
    expect(osEnvironment(env)).toEqual(redactEnvironment(env, 'mask'));
    expect(Object.entries(osEnvironment(env)).filter(([, v]) => v !== MASK).map(([k]) => k)).toEqual(['OS_AUTH_URL', 'OS_USERNAME']);
  });

  it('redactExchange (for exports) shows an exchange as redactCapture does, also one not in the capture', () => {
    const capture = openstackCapture();
    const auth = capture.exchanges[1]!;
    expect(redactExchange(capture, auth, 'mask')).toBe(redactCapture(capture, 'mask').exchanges[1]);
    const stray = makeExchange({ seq: 99, requestHeaders: [['Cookie', 'sid=abc']], requestBody: JSON.stringify({ password: PASSWORD }) });
    const shown = redactExchange(capture, stray, 'mask');
    expect(shown.request.headers).toEqual([['Cookie', 'sid=***']]);
    expect(shown.request.body.data).toBe('{"password":"***"}');
    expect(redactExchange(capture, stray, 'raw')).toBe(stray);
  });

  it('masks curl credentials on a command line: -u, -H, -d and URLs', () => {
    const argv = ['curl', '-u', 'admin:pw-1', '-H', 'Authorization: Bearer jwt-2', '-H', 'X-Auth-Token: tok-3', '-H', 'Accept: application/json',
      '-d', 'user=a&password=pw-4', '--data={"auth": {"password": "pw-5"}}', 'http://admin:pw-6@k/v3?token=tok-7&limit=1', '--os-auth-token', 'tok-8'];
    expect(maskArgv(argv, MASK_ALL)).toEqual(['curl', '-u', 'admin:***', '-H', 'Authorization: Bearer ***', '-H', 'X-Auth-Token: ***', '-H', 'Accept: application/json',
      '-d', 'user=a&password=***', '--data={"auth": {"password": "***"}}', 'http://admin:***@k/v3?token=***&limit=1', '--os-auth-token', '***']);
  });
});
