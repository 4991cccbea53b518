// Progress of a project: images by review status, overall and per assignee, counted in the store
// (one grouped query) over the images the caller may see — annotators count only their own.
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import { summarise, type ProgressSummary } from '../../shared/api/progress.ts';
import { visibleImagesFilter } from './access.ts';
import type { ServiceDeps } from './deps.ts';

export async function projectProgress(s: ServiceDeps, projectId: ProjectId, role: Role, userId: UserId): Promise<ProgressSummary> {
  const { onlyAssignedTo } = visibleImagesFilter(role, userId);
  return summarise(await s.data.images.countByStatus(projectId, onlyAssignedTo));
}
