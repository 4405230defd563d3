/**
 * OpenStack's clues about ids: the catalog names endpoint and service ids after their service type
 * (`{image_endpoint_id}`); a token names its project (`{project_id}` for the command's own token,
 * `{<project name>_id}` for a service's token: glance's `service` project → `{service_id}`, as the
 * reference page names the Swift account) and its user likewise.
 */
import { nameWord } from '../../id-hints.js';
import { objectAt, stringAt, type Json } from '../../json-body.js';
import type { Hint } from '../profile.js';
import { catalogInBody } from './catalog.js';

function catalogHints(body: Json): Hint[] {
  return catalogInBody(body).flatMap((ep): Hint[] => {
    const type = nameWord(ep.serviceType) || 'service';
    return [
      [ep.endpointId, `${type}_endpoint_id`],
      [ep.serviceId, `${type}_service_id`],
    ];
  });
}

function tokenHints(body: Json, byClient: boolean): Hint[] {
  const token = objectAt(body, 'token');
  if (!token) return [];
  const hints: Hint[] = [];
  const project = objectAt(token, 'project');
  const projectId = stringAt(project, 'id');
  const projectName = nameWord(stringAt(project, 'name') ?? '');
  if (projectId) hints.push([projectId, byClient || !projectName ? 'project_id' : `${projectName}_id`]);
  const user = objectAt(token, 'user');
  const userId = stringAt(user, 'id');
  const userName = nameWord(stringAt(user, 'name') ?? '');
  if (userId) hints.push([userId, byClient || !userName ? 'user_id' : `${userName}_user_id`]);
  return hints;
}

/** Catalog and token clues in a response body, catalog first. */
export function openstackHints(body: Json, byClient: boolean): Hint[] {
  return [...catalogHints(body), ...tokenHints(body, byClient)];
}
