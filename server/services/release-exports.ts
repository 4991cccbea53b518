// Export zips of a release (DESIGN.md "Releases"): derived from the manifest alone (never the live
// documents), written with fixed timestamps so the same release and format always give the same
// bytes, and cached as a blob per (release id, format).
import type { Zippable } from 'fflate';
import { AppError } from '../../shared/errors.ts';
import type { ProjectId, Sha256 } from '../../shared/ids.ts';
import { describeFormatError } from '../../shared/formats/index.ts';
import { exportAnnotations, MANIFEST_FILE, type ExportFormat } from '../../shared/release/index.ts';
import { loadManifest, manifestBytesOf } from './release-manifests.ts';
import { resolveRelease } from './release-read.ts';
import { now } from './ids.ts';
import type { ReleaseDeps } from './releases.ts';

/** 1980-01-01, the earliest time a zip can hold: no wall clock in the bytes. */
const ZIP_TIME = new Date(1980, 0, 1, 0, 0, 0);

export interface ReleaseExport {
  blob: Sha256;
  bytes: number;
  /** A file name for the download, e.g. `demo-3-coco.zip`. */
  fileName: string;
}

export async function releaseExport(d: Pick<ReleaseDeps, 'releases' | 'blobs'>, projectId: ProjectId, projectName: string, ref: string, format: ExportFormat): Promise<ReleaseExport> {
  const r = await resolveRelease(d, projectId, ref);
  const fileName = `${projectName.replace(/[^A-Za-z0-9._-]+/g, '_')}-${r.number}-${format}.zip`;
  const cached = await d.releases.export(r.id, format);
  if (cached && (await d.blobs.stat(cached.blob))) return { blob: cached.blob, bytes: cached.bytes, fileName };
  const manifest = await loadManifest(d, r.id);
  const out = exportAnnotations(manifest, format);
  if (!out.ok) throw new AppError('conflict', `release @${r.number} has no ${format} form: ${describeFormatError(out.error)}`);
  const files: Zippable = {};
  const enc = new TextEncoder();
  for (const [path, text] of [...out.value.files].sort(([a], [b]) => (a < b ? -1 : 1))) files[path] = [enc.encode(text), { mtime: ZIP_TIME }];
  files[MANIFEST_FILE] = [await manifestBytesOf(d, r.id), { mtime: ZIP_TIME }];
  if (out.value.warnings.length) files['WARNINGS.txt'] = [enc.encode(out.value.warnings.join('\n') + '\n'), { mtime: ZIP_TIME }];
  // Loaded here, at the first export: the server has no other use for a zip writer.
  const { zipSync } = await import('fflate');
  const zip = zipSync(files, { level: 6 });
  const put = await d.blobs.put(zip);
  await d.releases.putExport({ releaseId: r.id, format, blob: put.sha256, bytes: put.size, createdAt: now() });
  return { blob: put.sha256, bytes: put.size, fileName };
}
