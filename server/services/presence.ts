// Who is on which image, from the server's own record: the open sync connections to `ann:<imageId>`
// documents and the user each authenticated as (never a client's claim). The grid shows it; each
// change is published as a `presence` event. In memory, per node: a multi-node deployment would
// carry it over the fan-out bus like awareness.
import { parseDocName, type ImageId, type ProjectId, type UserId } from '../../shared/ids.ts';

export interface PresenceEntry {
  imageId: ImageId;
  userId: UserId;
}

export interface PresenceChange extends PresenceEntry {
  present: boolean;
}

export interface PresenceTracker {
  /** The sync core's hook: a connection of `userId` joined (true) or left (false) `docName`. */
  connection(docName: string, userId: string, present: boolean): void;
  /** Everyone on an image of the project now, one entry per (image, user). */
  list(projectId: ProjectId): PresenceEntry[];
}

/**
 * `projectOf` names an image's project (looked up once per image while anyone is on it);
 * `publish` is told when a user arrives on an image or the last of their connections to it leaves.
 */
export function presenceTracker(projectOf: (imageId: ImageId) => Promise<ProjectId | null>, publish: (projectId: ProjectId, change: PresenceChange) => void): PresenceTracker {
  /** image → user → open connections */
  const onImage = new Map<ImageId, Map<UserId, number>>();
  const projects = new Map<ImageId, Promise<ProjectId | null>>();
  /** project → images with someone on them, for `list` */
  const byProject = new Map<ProjectId, Set<ImageId>>();

  const announce = (imageId: ImageId, userId: UserId, present: boolean) =>
    void projects.get(imageId)?.then((projectId) => {
      if (!projectId) return;
      if (present) {
        let set = byProject.get(projectId);
        if (!set) byProject.set(projectId, (set = new Set()));
        set.add(imageId);
      } else if (!onImage.has(imageId)) {
        byProject.get(projectId)?.delete(imageId);
        if (byProject.get(projectId)?.size === 0) byProject.delete(projectId);
      }
      publish(projectId, { imageId, userId, present });
    });

  return {
    connection(docName, user, present) {
      const parsed = parseDocName(docName);
      if (!parsed || parsed.kind !== 'ann') return;
      const { imageId } = parsed;
      const userId = user as UserId;
      let users = onImage.get(imageId);
      if (present) {
        if (!users) onImage.set(imageId, (users = new Map()));
        if (!projects.has(imageId)) projects.set(imageId, projectOf(imageId).catch(() => null));
        const n = (users.get(userId) ?? 0) + 1;
        users.set(userId, n);
        if (n === 1) announce(imageId, userId, true);
        return;
      }
      const n = (users?.get(userId) ?? 0) - 1;
      if (!users || n < 0) return;
      if (n > 0) return void users.set(userId, n);
      users.delete(userId);
      if (users.size === 0) onImage.delete(imageId);
      announce(imageId, userId, false);
      if (!onImage.has(imageId)) {
        const p = projects.get(imageId);
        // Forget the image's project once its departure was announced (unless someone came back).
        void p?.then(() => {
          if (!onImage.has(imageId) && projects.get(imageId) === p) projects.delete(imageId);
        });
      }
    },
    list(projectId) {
      const out: PresenceEntry[] = [];
      for (const imageId of byProject.get(projectId) ?? []) for (const userId of onImage.get(imageId)?.keys() ?? []) out.push({ imageId, userId });
      return out;
    },
  };
}
