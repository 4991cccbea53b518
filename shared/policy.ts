// Who may do what: the one table of project actions per role. The server enforces it on every
// route and sync connection; the client uses the same table only to hide buttons.
import type { Role } from './roles.ts';

export const ACTIONS = {
  'project.read': ['annotator', 'reviewer', 'engineer', 'qa', 'manager'],
  'project.update': ['manager'],
  'members.read': ['reviewer', 'engineer', 'qa', 'manager'],
  'members.manage': ['manager'],
  'classes.read': ['annotator', 'reviewer', 'engineer', 'qa', 'manager'],
  'classes.manage': ['manager'],
  /** See every image of the project (annotators see only the images assigned to them). */
  'images.readAll': ['reviewer', 'engineer', 'qa', 'manager'],
  'images.upload': ['engineer', 'manager'],
  /** Import annotation files (COCO, YOLO, VOC, Label Studio) into images' documents. */
  'annotations.import': ['engineer', 'manager'],
  'images.assign': ['manager'],
  /** Submit an image for review (an annotator only the images assigned to them: server/services/review.ts). */
  'review.submit': ['annotator', 'reviewer', 'manager'],
  'review.decide': ['reviewer', 'manager'],
  'review.stats': ['manager'],
  'audit.read': ['manager'],
  'releases.read': ['engineer', 'qa', 'manager'],
  'releases.create': ['engineer', 'manager'],
  'releases.validate': ['qa', 'manager'],
  'pipelines.run': ['engineer', 'manager'],
  /** See pipeline runs, their jobs, logs and outputs. */
  'pipelines.read': ['reviewer', 'engineer', 'qa', 'manager'],
  /** Model runs and the lineage graph (issue 14): engineers record training runs, QA evaluations. */
  'runs.read': ['engineer', 'qa', 'manager'],
  'runs.record': ['engineer', 'qa', 'manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTIONS;

export function can(role: Role | null | undefined, action: Action): boolean {
  return role != null && (ACTIONS[action] as readonly Role[]).includes(role);
}

/** Rights that come with an account's administrator flag, not with a project role (docs/design.md). */
export const ADMIN_ACTIONS = {
  'projects.create': 'create projects',
  'users.create': 'create accounts',
  /** Managers who are no administrators add only people they already share a project with. */
  'users.addAnywhere': 'add any account to a project by username',
  'blobs.collect': 'delete blobs that nothing refers to',
  /** Sign-ins, accounts, tokens and blob collection belong to no project: only the whole log shows them. */
  'audit.readAll': 'read the whole audit log, every project and none',
} as const;

export type AdminAction = keyof typeof ADMIN_ACTIONS;

export function canAdmin(user: { isAdmin: boolean } | null | undefined, _action: AdminAction): boolean {
  return user?.isAdmin === true;
}

/** Four eyes (DESIGN.md): a reviewer cannot approve an image whose last submission is their own; a manager can. */
export const canApproveOwnSubmission = (role: Role | null | undefined): boolean => role === 'manager';

export interface ImageAccessSubject {
  assigneeId: string | null;
}

/** Whether a member may see one image: annotators see the images assigned to them. */
export function canSeeImage(role: Role | null | undefined, userId: string, image: ImageAccessSubject): boolean {
  if (!role) return false;
  if (can(role, 'images.readAll')) return true;
  return image.assigneeId === userId;
}

export type DocAccess = 'write' | 'read' | 'none';

/**
 * Access to an image's Yjs documents (DESIGN.md "Documents"): `ann:` is writable by the assigned
 * annotator, reviewers and managers and readable by every member who can see the image;
 * `cmt:` is writable by every member who can see the image.
 */
export function docAccess(
  role: Role | null | undefined,
  userId: string,
  image: ImageAccessSubject,
  kind: 'ann' | 'cmt',
): DocAccess {
  if (!role || !canSeeImage(role, userId, image)) return 'none';
  if (kind === 'cmt') return 'write';
  if (role === 'reviewer' || role === 'manager') return 'write';
  if (role === 'annotator' && image.assigneeId === userId) return 'write';
  return 'read';
}

/** Whether a member with this role can annotate images assigned to them (and so may be assigned any). */
export const canBeAssigned = (role: Role | null | undefined): boolean => docAccess(role, '', { assigneeId: '' }, 'ann') === 'write';
