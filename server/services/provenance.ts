// Who labelled what: an image's shape provenance from the server's record of who sent every update
// (DocWriter.provenance, folded by shared/doc/provenance.ts), with user ids resolved to names.
import type { PersonRef, ImageProvenance } from '../../shared/api/provenance.ts';
import type { Provenance } from '../../shared/doc/provenance.ts';
import { docName, type ImageId, type ProjectId, type UserId } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import { visibleImage } from './access.ts';
import type { ServiceDeps } from './deps.ts';

/** Resolves the user ids a provenance names (each looked up once); an id with no account keeps an empty name. */
export async function namePeople(s: ServiceDeps, provenance: Provenance): Promise<(id: string | null) => PersonRef | null> {
  const ids = new Set<string>();
  for (const o of Object.values(provenance)) for (const u of [o.createdBy, o.changedBy]) if (u != null) ids.add(u);
  const names = new Map<string, string>();
  for (const id of ids) names.set(id, (await s.data.users.byId(id as UserId))?.username ?? '');
  return (id) => (id == null ? null : { id: id as UserId, username: names.get(id) ?? '' });
}

/** The provenance of every shape on an image the caller may see (404 / 403 as for the image itself). */
export async function imageProvenance(s: ServiceDeps, projectId: ProjectId, role: Role, userId: UserId, imageId: ImageId): Promise<ImageProvenance> {
  await visibleImage(s, projectId, role, userId, imageId);
  const { provenance } = await s.docs.provenance(docName('ann', imageId));
  const person = await namePeople(s, provenance);
  return {
    imageId,
    items: Object.entries(provenance).map(([shapeId, o]) => ({ shapeId, createdBy: person(o.createdBy), changedBy: person(o.changedBy) })),
  };
}
