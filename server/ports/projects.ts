// Ports for projects, their memberships (one role per member) and their label classes.
import type { Member } from '../../shared/api/projects.ts';
import type { ClassId, ProjectId, UserId } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';

export interface ProjectRecord {
  id: ProjectId;
  name: string;
  description: string;
  createdAt: number;
  createdBy: UserId;
  /** Reviewers may not approve their own submissions (absent: true, the default). */
  fourEyes?: boolean;
}

export interface ProjectRepo {
  /** Inserts a project; a taken name is a `conflict` AppError. */
  insert(project: ProjectRecord): Promise<void>;
  byId(id: ProjectId): Promise<ProjectRecord | null>;
  byName(name: string): Promise<ProjectRecord | null>;
  update(id: ProjectId, patch: { name?: string; description?: string; fourEyes?: boolean }): Promise<void>;
  /** The projects `userId` is a member of, with their role, by name, after the name `after`. */
  listForMember(userId: UserId, page: { limit: number; after?: string }): Promise<(ProjectRecord & { role: Role })[]>;
}

export interface MembershipRecord {
  projectId: ProjectId;
  userId: UserId;
  role: Role;
  createdAt: number;
}

/** A member with the account fields the UI shows (the API's Member). */
export type MemberView = Member;

export interface MemberRepo {
  get(projectId: ProjectId, userId: UserId): Promise<MembershipRecord | null>;
  /** Adds a member, or changes the role of an existing one. */
  put(m: MembershipRecord): Promise<void>;
  remove(projectId: ProjectId, userId: UserId): Promise<boolean>;
  /** Members by username. */
  list(projectId: ProjectId): Promise<MemberView[]>;
  countWithRole(projectId: ProjectId, role: Role): Promise<number>;
  /** The roles `userId` holds in the projects that `otherId` is also a member of (one per project). */
  rolesBeside(userId: UserId, otherId: UserId): Promise<Role[]>;
}

export interface ClassRecord {
  id: ClassId;
  projectId: ProjectId;
  name: string;
  color: string;
  hotkey: string | null;
  /** 0..n-1 within a project, no gaps or ties. */
  position: number;
  createdAt: number;
}

export interface ClassRepo {
  /** A project's classes by position. */
  list(projectId: ProjectId): Promise<ClassRecord[]>;
  get(projectId: ProjectId, id: ClassId): Promise<ClassRecord | null>;
  /** The class of the project with this name or this hotkey. */
  findBy(projectId: ProjectId, field: 'name' | 'hotkey', value: string): Promise<ClassRecord | null>;
  /** Inserts a class; a taken name in the project is a `conflict` AppError. */
  insert(c: ClassRecord): Promise<void>;
  update(id: ClassId, patch: { name?: string; color?: string; hotkey?: string | null; position?: number }): Promise<void>;
  remove(id: ClassId): Promise<boolean>;
}
