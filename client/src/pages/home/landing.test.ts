import { describe, expect, it } from 'vitest';
import { afterSignIn, landingPath, roleHome } from './landing.ts';

describe('role homes', () => {
  it('sends annotators and reviewers to the Review page, the other roles to the project home', () => {
    expect(roleHome('p1', 'annotator')).toBe('/projects/p1/review');
    expect(roleHome('p1', 'reviewer')).toBe('/projects/p1/review');
    for (const role of ['engineer', 'qa', 'manager'] as const) expect(roleHome('p 2', role)).toBe('/projects/p%202/home');
  });

  it('lands on the one project’s home, or on the projects list with several or none', () => {
    expect(landingPath([{ projectId: 'p', role: 'qa' }])).toBe('/projects/p/home');
    expect(landingPath([{ projectId: 'p', role: 'qa' }, { projectId: 'q', role: 'manager' }])).toBe('/');
    expect(landingPath([])).toBe('/');
  });

  it('goes to the page that was asked for before sign-in, if any', () => {
    const one = [{ projectId: 'p', role: 'annotator' as const }];
    expect(afterSignIn('/projects/p/images/i', one)).toBe('/projects/p/images/i');
    for (const none of [undefined, '/', '/login']) expect(afterSignIn(none, one)).toBe('/projects/p/review');
  });
});
