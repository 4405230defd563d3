/**
 * Whose token is it? Keystone returns a new token in `X-Subject-Token` with a body describing it
 * (`token.user.name`, and `token.project.name`, `token.system` or `token.domain.name` for its scope),
 * so each token it issued or validated can be labelled by its owner: `{token: admin@admin}`.
 */
import type { Capture, ExchangeRecord } from '../../exchange.js';
import { headerValue, objectAt, parseJsonBody, stringAt, type JsonObject } from '../../json-body.js';
import { tokenInHeaderValue } from '../../token-owners.js';
import type { DescribedToken } from '../profile.js';

function owner(token: JsonObject): string | null {
  const user = stringAt(objectAt(token, 'user'), 'name');
  if (!user) return null;
  const project = stringAt(objectAt(token, 'project'), 'name');
  if (project) return `${user}@${project}`;
  if (token['system'] !== undefined) return `${user}@system`;
  const domain = stringAt(objectAt(token, 'domain'), 'name');
  return domain ? `${user}@domain:${domain}` : user;
}

/** The token a response issued or described (`X-Subject-Token` plus a `token` body), or null. */
function describedToken(e: ExchangeRecord): DescribedToken | null {
  const subject = e.response ? headerValue(e.response.headers, 'X-Subject-Token') : undefined;
  const token = subject ? tokenInHeaderValue(subject) : null;
  const body = token ? objectAt(parseJsonBody(e.response?.body), 'token') : undefined;
  return token && body ? { token, owner: owner(body), issued: e.request.method === 'POST' } : null;
}

/** Every token Keystone issued or described in the capture, in capture order. */
export function keystoneTokens(capture: Capture): DescribedToken[] {
  return capture.exchanges.flatMap((e) => {
    const d = describedToken(e);
    return d ? [d] : [];
  });
}
