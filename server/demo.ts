// Demo mode: seeds, once, the `demo` project with generated images (no network), label classes,
// one account per role (all with the password `tessera`) and images in every review state.
import { createUser, findUserByName, type User } from './services/auth.ts';
import { createClass } from './services/classes.ts';
import type { ServiceDeps } from './services/deps.ts';
import { assignImages } from './services/images.ts';
import { uploadImages } from './services/uploads.ts';
import { createProject, findProjectByName, setMember } from './services/projects.ts';
import type { Role } from '../shared/roles.ts';
import * as Y from 'yjs';
import { addShape } from '../shared/doc/index.ts';
import { docName, type ImageId, type ProjectId } from '../shared/ids.ts';
import { encodeStateVectorB64 } from '../shared/api/review.ts';
import { approveImage, recordEdit, requestChanges, submitImage, type Reviewer } from './services/review.ts';
import type { ReleaseDeps } from './services/releases.ts';
import { seedDemoReleases } from './demo-releases.ts';
import { seedDemoRuns } from './demo-runs.ts';
import type { RunRepo } from './ports/runs.ts';

export const DEMO_PASSWORD = 'tessera';
export const DEMO_ACCOUNTS: { username: string; role: Role }[] = [
  { username: 'manager', role: 'manager' },
  { username: 'annotator1', role: 'annotator' },
  { username: 'annotator2', role: 'annotator' },
  { username: 'reviewer', role: 'reviewer' },
  { username: 'engineer', role: 'engineer' },
  { username: 'qa', role: 'qa' },
];
const CLASSES = [
  { name: 'car', color: '#e6194b', hotkey: '1' },
  { name: 'person', color: '#3cb44b', hotkey: '2' },
  { name: 'bicycle', color: '#4363d8', hotkey: '3' },
  { name: 'dog', color: '#f58231', hotkey: '4' },
  { name: 'traffic light', color: '#911eb4', hotkey: '5' },
];
const IMAGE_COUNT = 36;

export interface DemoSeed {
  projectId: string;
  created: boolean;
  accounts: { username: string; role: Role; password: string }[];
}

/** A deterministic pseudo-random generator (mulberry32), so the demo is the same every time. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SceneObject {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Index into CLASSES. */
  cls: number;
  ellipse: boolean;
}

/** The objects of demo image `i` (the same every time): what is drawn, and what the seeded shapes trace. */
function demoScene(i: number): { hue: number; objects: SceneObject[] } {
  const r = rng(i + 1);
  const w = 640;
  const h = 480;
  const hue = Math.floor(r() * 360);
  const objects = Array.from({ length: 2 + Math.floor(r() * 4) }, () => {
    const ow = 40 + r() * 160;
    const oh = 30 + r() * 120;
    const x = r() * (w - ow);
    const y = 200 + r() * (h - 200 - oh);
    const cls = Math.floor(r() * CLASSES.length);
    return { x, y, w: ow, h: oh, cls, ellipse: r() >= 0.5 };
  });
  return { hue, objects };
}

/** A street-ish scene: sky, road, and a few coloured objects to annotate. */
export async function demoImage(i: number): Promise<Buffer> {
  const w = 640;
  const h = 480;
  const { hue, objects } = demoScene(i);
  const drawn = objects.map(({ x, y, w: ow, h: oh, cls, ellipse }) => {
    const c = CLASSES[cls].color;
    return !ellipse
      ? `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${ow.toFixed(1)}" height="${oh.toFixed(1)}" rx="8" fill="${c}" stroke="#222" stroke-width="3"/>`
      : `<ellipse cx="${(x + ow / 2).toFixed(1)}" cy="${(y + oh / 2).toFixed(1)}" rx="${(ow / 2).toFixed(1)}" ry="${(oh / 2).toFixed(1)}" fill="${c}" stroke="#222" stroke-width="3"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,75%)"/><stop offset="1" stop-color="hsl(${hue},40%,92%)"/></linearGradient></defs>
    <rect width="${w}" height="${h}" fill="url(#sky)"/>
    <rect y="${h * 0.55}" width="${w}" height="${h * 0.45}" fill="#5b5b60"/>
    <rect x="0" y="${h * 0.77}" width="${w}" height="6" fill="#f4f4f4" stroke-dasharray="40 30"/>
    ${drawn.join('\n')}
  </svg>`;
  // Loaded here, not at start: a server without --demo never carries libvips for it.
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(svg)).jpeg({ quality: 82 }).toBuffer();
}

/**
 * Review states through the real services, so that every state is on show and a release can be
 * cut at once: each annotator traced the objects of some of their images (boxes for rectangles,
 * polygons for ellipses); some are submitted, some approved by the reviewer, one each sent back
 * with a reason on a shape, one left in progress.
 */
const DEMO_REVIEW: { annotator: string; from: number; approved: number; submitted: number; changes: number; inProgress: number }[] = [
  // Each annotator's first image and annotator1's last stay untouched (the browser tests draw there).
  { annotator: 'annotator1', from: 2, approved: 4, submitted: 2, changes: 1, inProgress: 1 },
  { annotator: 'annotator2', from: 13, approved: 2, submitted: 2, changes: 1, inProgress: 0 },
];

async function seedReview(s: ServiceDeps, projectId: ProjectId, ids: ImageId[], users: Record<string, User>) {
  const reviewer: Reviewer = { userId: users.reviewer.id, role: 'reviewer' };
  const classes = await s.data.classes.list(projectId);
  for (const plan of DEMO_REVIEW) {
    const annotator: Reviewer = { userId: users[plan.annotator].id, role: 'annotator' };
    const count = plan.approved + plan.submitted + plan.changes + plan.inProgress;
    for (let k = 0; k < count; k++) {
      const i = plan.from + k;
      const id = ids[i];
      const name = docName('ann', id);
      const shapes: string[] = [];
      await s.docs.change(name, annotator.userId, (doc) => {
        for (const o of demoScene(i).objects) {
          const label = classes[o.cls].id;
          const points = o.ellipse ? ellipsePoints(o) : [o.x, o.y, o.w, o.h].map(round1);
          shapes.push(addShape(doc, { kind: o.ellipse ? 'polygon' : 'box', label, points }, { author: annotator.userId }));
        }
      });
      await recordEdit(s.data, s.events, name, annotator.userId);
      if (k >= plan.approved + plan.submitted + plan.changes) continue;
      await submitImage(s, annotator, projectId, id);
      if (k < plan.approved) {
        const doc = await s.docs.read(name);
        const seen = encodeStateVectorB64(Y.encodeStateVector(doc));
        doc.destroy();
        await approveImage(s, reviewer, projectId, id, seen);
      } else if (k >= plan.approved + plan.submitted) {
        await requestChanges(s, reviewer, projectId, id, { reason: 'This outline misses part of the object: please follow its edge.', shapeId: shapes[0] });
      }
    }
  }
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** An ellipse traced as a 12-point polygon. */
function ellipsePoints(o: SceneObject): number[] {
  const out: number[] = [];
  for (let k = 0; k < 12; k++) {
    const a = (k / 12) * 2 * Math.PI;
    out.push(round1(o.x + o.w / 2 + (o.w / 2) * Math.cos(a)), round1(o.y + o.h / 2 + (o.h / 2) * Math.sin(a)));
  }
  return out;
}

/** What the demo seeds beyond the core services (each part's own deps; absent → that part is skipped). */
export interface DemoParts {
  releases?: ReleaseDeps;
  /** Model runs against the demo releases (server/demo-runs.ts). */
  runs?: RunRepo;
}

export async function seedDemo(s: ServiceDeps, parts: DemoParts = {}): Promise<DemoSeed> {
  const accounts = DEMO_ACCOUNTS.map((a) => ({ ...a, password: DEMO_PASSWORD }));
  const existing = await findProjectByName(s, 'demo');
  if (existing) return { projectId: existing.id, created: false, accounts };

  const users: Record<string, User> = {};
  for (const a of DEMO_ACCOUNTS) {
    users[a.username] =
      (await findUserByName(s, a.username)) ??
      (await createUser(s, { username: a.username, password: DEMO_PASSWORD, displayName: a.username, isAdmin: a.role === 'manager' }, null));
  }
  const manager = users.manager;
  const project = await createProject(s, manager, { name: 'demo', description: 'A demo project with generated street scenes.' });
  for (const a of DEMO_ACCOUNTS) if (a.username !== 'manager') await setMember(s, manager.id, project.id, a.username, a.role);
  for (const c of CLASSES) await createClass(s, manager.id, project.id, c);

  const files = [];
  for (let i = 0; i < IMAGE_COUNT; i++) files.push({ name: `street_${String(i + 1).padStart(3, '0')}.jpg`, bytes: await demoImage(i) });
  const { items } = await uploadImages(s, manager.id, project.id, files, Number.MAX_SAFE_INTEGER);
  const ids = items.map((i) => i.id);
  await assignImages(s, manager.id, project.id, ids.slice(0, 12), users.annotator1.id);
  await assignImages(s, manager.id, project.id, ids.slice(12, 24), users.annotator2.id);
  await seedReview(s, project.id as ProjectId, ids as ImageId[], users);
  // @1 and @2: annotator1's first approved image relabelled, annotator2's first submitted one approved.
  if (parts.releases) await seedDemoReleases(s, parts.releases, project.id as ProjectId, users, { relabeller: 'annotator1', relabel: ids[DEMO_REVIEW[0].from] as ImageId, approve: ids[DEMO_REVIEW[1].from + DEMO_REVIEW[1].approved] as ImageId });
  if (parts.releases && parts.runs) await seedDemoRuns({ data: s.data, releases: parts.releases.releases, runs: parts.runs }, project.id as ProjectId, users);
  return { projectId: project.id, created: true, accounts };
}
