// Where each role lands after sign-in (issue 14 item 4): annotators on My work, reviewers on the
// review queue (both the Review page), engineers, QA and managers on their project home. With
// several projects, the projects list comes first.
import type { Role } from '../../../../shared/roles.ts';

// The same paths as router.tsx's projectPath/reviewPath (that file has JSX, which unit tests do not load).
const project = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`;
export const homePath = (projectId: string) => `${project(projectId)}/home`;

/** The page a role's home is: the Review page for annotators and reviewers, the home page otherwise. */
export function roleHome(projectId: string, role: Role): string {
  return role === 'annotator' || role === 'reviewer' ? `${project(projectId)}/review` : homePath(projectId);
}

export function landingPath(memberships: readonly { projectId: string; role: Role }[]): string {
  return memberships.length === 1 ? roleHome(memberships[0].projectId, memberships[0].role) : '/';
}

/** Where sign-in goes: the page that was asked for, else the role's home. */
export function afterSignIn(wanted: string | undefined, memberships: readonly { projectId: string; role: Role }[]): string {
  return wanted && wanted !== '/login' && wanted !== '/' ? wanted : landingPath(memberships);
}
