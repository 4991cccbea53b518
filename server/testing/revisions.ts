// Approved revisions in memory for release tests: the latest encoded `ann:` state per image, as
// the review repository's `latestApproved` gives them.
import { createHash } from 'node:crypto';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { ApprovedRevision, RevisionPeopleRecord, RevisionSource } from '../ports/releases.ts';

/** Approvals in memory: the latest encoded state per image, as `approved_revisions` holds them. */
export function memoryRevisions(): RevisionSource & { set(projectId: ProjectId, imageId: string, update: Uint8Array, approvedBy?: UserId): ApprovedRevision } {
  const byProject = new Map<string, Map<string, ApprovedRevision>>();
  /** Every revision ever set, by image and SHA-256, with its approver. */
  const all = new Map<string, RevisionPeopleRecord>();
  return {
    set(projectId, imageId, update, approvedBy = 'approver' as UserId) {
      const rev = { imageId, sha256: createHash('sha256').update(update).digest('hex'), update };
      (byProject.get(projectId) ?? byProject.set(projectId, new Map()).get(projectId)!).set(imageId, rev);
      all.set(`${imageId} ${rev.sha256}`, { approvedBy });
      return rev;
    },
    revision: async (imageId, sha256) => all.get(`${imageId} ${sha256}`) ?? null,
    latestApproved: async (projectId) => [...(byProject.get(projectId)?.values() ?? [])].sort((a, b) => (a.imageId < b.imageId ? -1 : 1)),
  };
}

