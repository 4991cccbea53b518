// Review state moved by edits (DESIGN.md, review state machine): an edit to an image's `ann:`
// document moves it from new/assigned/changes_requested/approved to in_progress (an approved image
// needs a new review). Submit and approve are not built yet.
import { parseDocName } from '../../shared/ids.ts';
import type { ImageStatus } from '../../shared/roles.ts';
import type { Db } from '../adapters/sqlite/open.ts';
import { audit } from './audit.ts';

const MOVES_TO_IN_PROGRESS: ReadonlySet<ImageStatus> = new Set(['new', 'assigned', 'changes_requested', 'approved']);

/** Called after an edit to a document is durable. Cheap when nothing moves: one indexed read. */
export function editRecorder(db: Db) {
  const read = db.$client.prepare<[string], { status: ImageStatus; projectId: string }>('select status, project_id as projectId from images where id = ?');
  const move = db.$client.prepare("update images set status = 'in_progress' where id = ? and status = ?");
  return (docName: string, userId: string): void => {
    const parsed = parseDocName(docName);
    if (!parsed || parsed.kind !== 'ann') return;
    const row = read.get(parsed.imageId);
    if (!row || !MOVES_TO_IN_PROGRESS.has(row.status)) return;
    if (move.run(parsed.imageId, row.status).changes === 1) {
      audit(db, { actorId: userId, projectId: row.projectId, action: 'review.edited', subject: parsed.imageId, details: { from: row.status, to: 'in_progress' } });
    }
  };
}
