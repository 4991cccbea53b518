// Demo releases: two releases of the demo project cut through the real release service, so a
// newcomer sees a release history at once — @1 from the images the reviewer approved, then a
// relabel and one more approval (both through the review service), and @2 whose diff against @1
// names them; their EDA reports; the alias `prod` on @1 and QA's verdict on it.
import * as Y from 'yjs';
import { readShapes, relabelShape } from '../shared/doc/index.ts';
import { docName, type ImageId, type ProjectId, type UserId } from '../shared/ids.ts';
import { encodeStateVectorB64 } from '../shared/api/review.ts';
import type { User } from './services/auth.ts';
import type { ServiceDeps } from './services/deps.ts';
import { approveImage, recordEdit, submitImage, type Reviewer } from './services/review.ts';
import { recordQa, setAlias } from './services/release-read.ts';
import { cutRelease, type ReleaseDeps } from './services/releases.ts';
import { computeReport } from './services/release-report.ts';

export interface DemoReleasePlan {
  /** An approved image whose first shape the annotator relabels (then resubmitted and approved again). */
  relabel: ImageId;
  /** A submitted image the reviewer approves between the two cuts. */
  approve: ImageId;
}

async function approveAsSeen(s: ServiceDeps, reviewer: Reviewer, projectId: ProjectId, imageId: ImageId) {
  const doc = await s.docs.read(docName('ann', imageId));
  const seen = encodeStateVectorB64(Y.encodeStateVector(doc));
  doc.destroy();
  await approveImage(s, reviewer, projectId, imageId, seen);
}

export async function seedDemoReleases(s: ServiceDeps, d: ReleaseDeps, projectId: ProjectId, users: Record<string, User>, plan: DemoReleasePlan & { relabeller: string }) {
  const engineer = users.engineer.id as UserId;
  const reviewer: Reviewer = { userId: users.reviewer.id, role: 'reviewer' };
  const first = await cutRelease(d, engineer, projectId, { notes: 'First cut of the demo street scenes: everything the reviewer approved.' });

  // The relabel: the image's assignee changes the first shape's class; it goes back through review.
  const classes = await s.data.classes.list(projectId);
  const annotator: Reviewer = { userId: users[plan.relabeller].id, role: 'annotator' };
  const name = docName('ann', plan.relabel);
  await s.docs.change(name, annotator.userId, (doc) => {
    const [shape] = readShapes(doc).shapes;
    const other = classes.find((c) => c.id !== shape.label)!;
    relabelShape(doc, shape.id, other.id, { author: annotator.userId });
  });
  await recordEdit(s.data, s.events, name, annotator.userId);
  await submitImage(s, annotator, projectId, plan.relabel);
  await approveAsSeen(s, reviewer, projectId, plan.relabel);
  await approveAsSeen(s, reviewer, projectId, plan.approve);

  const second = await cutRelease(d, engineer, projectId, { notes: 'One shape relabelled after review, one more image approved.' });
  // What the release stage does after a cut: the EDA report of each.
  for (const r of [first, second]) await computeReport(d, projectId, r.release.id);
  await setAlias(d, engineer, projectId, 'prod', first.release.number);
  await recordQa(d, users.qa.id as UserId, projectId, String(first.release.number), 'validated', `Spot-checked all ${first.report.included} images against the scenes: boxes and outlines follow the objects.`);
  return { first: first.release, second: second.release };
}
