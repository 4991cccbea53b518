// REST shapes for projects, members and label classes (the audit log's are in audit.ts).
import { z } from 'zod';
import { APP_SHORTCUT_KEYS, isAppShortcut } from '../hotkeys.ts';
import type { ClassId, ProjectId, UserId } from '../ids.ts';
import { DisplayName } from '../names.ts';
import { ROLES, type Role } from '../roles.ts';

const name = DisplayName;
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #1f77b4');
const hotkey = z
  .string()
  .regex(/^[0-9a-z]$/, 'use one digit or lower-case letter')
  .refine((k) => !isAppShortcut(k), { message: `${APP_SHORTCUT_KEYS.join(', ')} are the annotate page's own shortcuts` })
  .nullable();

export const NewProject = z.strictObject({ name, description: z.string().max(5000).optional() });
export const PatchProject = z.strictObject({ name: name.optional(), description: z.string().max(5000).optional(), fourEyes: z.boolean().optional() });
export const NewMember = z.strictObject({ username: z.string().min(1).max(100), role: z.enum(ROLES) });
export const MemberRole = z.strictObject({ role: z.enum(ROLES) });
export const NewClass = z.strictObject({ name, color, hotkey: hotkey.optional() });
export const PatchClass = z.strictObject({ name: name.optional(), color: color.optional(), hotkey: hotkey.optional(), position: z.number().int().min(0).optional() });

/** A project as its member sees it, with their role. */
export interface Project {
  id: ProjectId;
  name: string;
  description: string;
  role: Role;
  /** Reviewers may not approve images they submitted themselves (managers may). */
  fourEyes: boolean;
}

export interface Member {
  userId: UserId;
  username: string;
  displayName: string;
  role: Role;
}

/** GET /projects/:id/people: names for every member (comment authors, presence). */
export interface Person {
  userId: UserId;
  displayName: string;
}

export interface LabelClass {
  id: ClassId;
  name: string;
  color: string;
  hotkey: string | null;
  position: number;
}
