// Approved revisions in memory for release tests: the latest encoded `ann:` state per image, as
// the review repository's `latestApproved` gives them.
import { createHash } from 'node:crypto';
import type { ProjectId } from '../../shared/ids.ts';
import type { ApprovedRevision, RevisionSource } from '../ports/releases.ts';

/** Approvals in memory: the latest encoded state per image, as `approved_revisions` holds them. */
export function memoryRevisions(): RevisionSource & { set(projectId: ProjectId, imageId: string, update: Uint8Array): ApprovedRevision } {
  const byProject = new Map<string, Map<string, ApprovedRevision>>();
  return {
    set(projectId, imageId, update) {
      const rev = { imageId, sha256: createHash('sha256').update(update).digest('hex'), update };
      (byProject.get(projectId) ?? byProject.set(projectId, new Map()).get(projectId)!).set(imageId, rev);
      return rev;
    },
    latestApproved: async (projectId) => [...(byProject.get(projectId)?.values() ?? [])].sort((a, b) => (a.imageId < b.imageId ? -1 : 1)),
  };
}

