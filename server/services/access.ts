// Membership look-ups shared by routes and the sync server: a user's role in a project, an image's
// project and assignee, and the resulting document access.
import { and, eq } from 'drizzle-orm';
import { docAccess, type DocAccess } from '../../shared/policy.ts';
import { parseDocName } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import type { Db } from '../adapters/sqlite/open.ts';
import { images, memberships } from '../adapters/sqlite/schema.ts';

export function roleIn(db: Db, projectId: string, userId: string): Role | null {
  const row = db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, userId)))
    .get();
  return row?.role ?? null;
}

export function imageAccessRow(db: Db, imageId: string) {
  return (
    db
      .select({ id: images.id, projectId: images.projectId, assigneeId: images.assigneeId, status: images.status })
      .from(images)
      .where(eq(images.id, imageId))
      .get() ?? null
  );
}

/** What a user may do with a sync document; 'none' for unknown documents and non-members. */
export function accessToDoc(db: Db, userId: string, name: string): { access: DocAccess; projectId: string | null } {
  const parsed = parseDocName(name);
  if (!parsed) return { access: 'none', projectId: null };
  const image = imageAccessRow(db, parsed.imageId);
  if (!image) return { access: 'none', projectId: null };
  const role = roleIn(db, image.projectId, userId);
  return { access: docAccess(role, userId, image, parsed.kind), projectId: image.projectId };
}
