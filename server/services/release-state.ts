// The approved state a release was cut from, as one SHA-256: the project, its categories in class
// order, and for every included image its blob, file name, width, height and approved revision.
// Everything else in a manifest follows from these when the state is cut against the release
// itself as parent (sizes from the content-addressed blob, shapes and tags from the revision whose
// SHA-256 this is, splits kept from the parent), so a state whose key equals the latest release's
// would cut to exactly that release: cutRelease answers it without decoding a document. The key is
// stored with each release (releases.state_key), so a restarted server answers without its manifest.
import { createHash } from 'node:crypto';
import type { Manifest } from '../../shared/release/index.ts';

export interface StateImage {
  blob: string;
  fileName: string;
  width: number;
  height: number;
  revision: string;
}

const byBlobThenName = (a: StateImage, b: StateImage) => (a.blob < b.blob ? -1 : a.blob > b.blob ? 1 : a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0);

export function stateKey(project: string, categories: ReadonlyArray<{ id: string; name: string }>, images: readonly StateImage[]): string {
  const h = createHash('sha256').update(JSON.stringify([project, categories.map((c) => [c.id, c.name])]));
  for (const im of images.slice().sort(byBlobThenName)) h.update(`\n${JSON.stringify([im.blob, im.fileName, im.width, im.height, im.revision])}`);
  return h.digest('hex');
}

/** The key of the state a manifest was cut from. */
export const manifestStateKey = (m: Manifest): string => stateKey(m.project, m.categories, m.images);
