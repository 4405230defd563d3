/**
 * Whose token is it? Keystone returns a new token in `X-Subject-Token` with a body describing it
 * (`token.user.name`, and `token.project.name`, `token.system` or `token.domain.name` for its scope),
 * so each token it issued or validated can be labelled by its owner: `{token: admin@admin}`, and
 * the token view can say how it was scoped and when it expires.
 */
import type { Capture, ExchangeRecord } from '../../exchange.js';
import { arrayAt, headerValue, objectAt, parseJsonBody, stringAt, type JsonObject } from '../../json-body.js';
import { tokenInHeaderValue } from '../../token-owners.js';
import type { DescribedToken, TokenFacts, TokenUseKind } from '../profile.js';

/** Keystone's token headers in requests: a token used, validated, or sent as a service token. */
export const KEYSTONE_TOKEN_USES: ReadonlyArray<readonly [string, TokenUseKind]> = [
  ['x-auth-token', 'used'],
  ['x-subject-token', 'validated'],
  ['x-service-token', 'service'],
];

function describe(token: JsonObject): TokenFacts {
  const user = stringAt(objectAt(token, 'user'), 'name') ?? null;
  const project = stringAt(objectAt(token, 'project'), 'name');
  const domain = stringAt(objectAt(token, 'domain'), 'name');
  const scope = project ? 'project' : token['system'] !== undefined ? 'system' : domain ? 'domain' : 'unscoped';
  const where = project ?? (scope === 'system' ? 'system' : domain ? `domain:${domain}` : null);
  return {
    owner: user && where ? `${user}@${where}` : user,
    scope,
    methods: arrayAt(token, 'methods').filter((m): m is string => typeof m === 'string'),
    expiresAt: stringAt(token, 'expires_at') ?? null,
    catalogSize: Array.isArray(token['catalog']) ? token['catalog'].length : null,
  };
}

/** The token a response issued or described (`X-Subject-Token` plus a `token` body), or null. */
function describedToken(e: ExchangeRecord): DescribedToken | null {
  const subject = e.response ? headerValue(e.response.headers, 'X-Subject-Token') : undefined;
  const token = subject ? tokenInHeaderValue(subject) : null;
  const body = token ? objectAt(parseJsonBody(e.response?.body), 'token') : undefined;
  return token && body ? { token, seq: e.seq, issued: e.request.method === 'POST', facts: describe(body) } : null;
}

/** Every token Keystone issued or described in the capture, in capture order. */
export function keystoneTokens(capture: Capture): DescribedToken[] {
  return capture.exchanges.flatMap((e) => {
    const d = describedToken(e);
    return d ? [d] : [];
  });
}
