// Review state moved by edits (DESIGN.md, review state machine): an edit to an image's `ann:`
// document moves it from new/assigned/changes_requested/approved to in_progress (an approved image
// needs a new review). Submit and approve are not built yet.
import { parseDocName, type UserId } from '../../shared/ids.ts';
import type { ImageStatus } from '../../shared/roles.ts';
import type { DataStore } from '../ports/repositories.ts';
import { audit } from './audit.ts';

const MOVES_TO_IN_PROGRESS: ReadonlySet<ImageStatus> = new Set(['new', 'assigned', 'changes_requested', 'approved']);

/** Records that `userId` edited `docName` (after the edit is durable). Cheap when nothing moves: one indexed read. */
export async function recordEdit(data: DataStore, docName: string, userId: string): Promise<void> {
  const parsed = parseDocName(docName);
  if (!parsed || parsed.kind !== 'ann') return;
  const image = await data.images.byId(parsed.imageId);
  if (!image || !MOVES_TO_IN_PROGRESS.has(image.status)) return;
  await data.transaction(async (r) => {
    if (await r.images.moveStatus(parsed.imageId, image.status, 'in_progress')) {
      await audit(r, { actorId: userId as UserId, projectId: image.projectId, action: 'review.edited', subject: parsed.imageId, details: { from: image.status, to: 'in_progress' } });
    }
  });
}

/** The sync server's after-update hook: records the edit, reporting (not throwing) a failure. */
export function editRecorder(data: DataStore, log: (message: string, details?: Record<string, unknown>) => void = console.error) {
  return (docName: string, userId: string): void => {
    recordEdit(data, docName, userId).catch((e) => log('recording an edit failed', { doc: docName, error: String(e) }));
  };
}
