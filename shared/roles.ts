// Project roles: the closed set from DESIGN.md ("Users and roles").
export const ROLES = ['annotator', 'reviewer', 'engineer', 'qa', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Review states of an image (DESIGN.md: review state machine). */
export const IMAGE_STATUSES = ['new', 'assigned', 'in_progress', 'submitted', 'approved', 'changes_requested'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];
