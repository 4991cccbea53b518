// `tessera pull`: downloads a release (its manifest checked against the release id, every blob
// checked against its SHA-256 into a local content-addressed cache, resumed after interruption)
// and writes the chosen format, manifest.json and the images into OUTDIR, all or nothing.
import { describeFormatError } from '../../shared/formats/index.ts';
import { clashingImagePaths, EXPORT_FORMATS, exportAnnotations, imagePath, isExportFormat, MANIFEST_FILE, parseManifest, type ExportFormat } from '../../shared/release/index.ts';
import { connect, resolveProject } from '../api-client.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { cachedManifest, defaultCacheDir, openCache, sha256Of, storeManifest } from '../pull/cache.ts';
import { downloadAll } from '../pull/download.ts';
import { blobGetter } from '../pull/http-get.ts';
import { meter } from '../pull/meter.ts';
import { outDirProblem, writeTree, type TreeFile } from '../pull/tree.ts';

const FORMATS = Object.values(EXPORT_FORMATS);

const usage = `usage: tessera pull --server URL PROJECT@N|PROJECT@ALIAS --format coco|yolo|voc --out DIR [--cache DIR] [--connections N] [--verify] [--force]

Downloads a release and writes it in one format. PROJECT is a project name or id; after @ comes the
release number, an alias (latest, prod, …) or the release id.
OUTDIR receives manifest.json, images/ (YOLO: images/<split>/) and
  coco   annotations.json
  yolo   classes.txt, data.yaml, labels/<split>/<image stem>.txt
  voc    Annotations/<image stem>.xml
Options:
  --cache DIR        the content-addressed blob cache (default: $XDG_CACHE_HOME/tessera or ~/.cache/tessera)
  --connections N    downloads at once (default 8)
  --verify           re-hash blobs already in the cache instead of trusting them
  --force            replace a non-empty OUTDIR
Every blob is checked (size and SHA-256) before it is used; an interrupted pull resumes where it stopped.
Signs in with TESSERA_TOKEN, or TESSERA_USER and TESSERA_PASSWORD.`;

/** `name@ref`, split at the last `@` (project names may not hold one, but be lenient). */
export function parseReleaseSpec(spec: string): { project: string; ref: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0 || at === spec.length - 1) throw new UsageError(`"${spec}": expected PROJECT@N, PROJECT@ALIAS or PROJECT@ID\n${usage}`);
  return { project: spec.slice(0, at), ref: spec.slice(at + 1) };
}

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        server: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        cache: { type: 'string' },
        connections: { type: 'string' },
        verify: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
      },
      usage,
    );
    if (!values.server) throw new UsageError(`missing --server\n${usage}`);
    if (!values.format) throw new UsageError(`missing --format (one of ${FORMATS.join(', ')})\n${usage}`);
    if (!isExportFormat(values.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
    if (!values.out) throw new UsageError(`missing --out DIR\n${usage}`);
    if (positionals.length !== 1) throw new UsageError(`expected one PROJECT@REF\n${usage}`);
    const connections = values.connections === undefined ? 8 : Number(values.connections);
    if (!Number.isInteger(connections) || connections < 1 || connections > 64) throw new UsageError('--connections must be a whole number from 1 to 64');
    const format: ExportFormat = values.format;
    const outDir = values.out;
    const { project, ref } = parseReleaseSpec(positionals[0]);
    const problem = await outDirProblem(outDir, values.force);
    if (problem) throw new Error(problem);

    const api = await connect(values.server);
    const p = await resolveProject(api, project);
    const base = `/api/projects/${encodeURIComponent(p.id)}/releases/${encodeURIComponent(ref)}`;
    const release = await api.json<{ id: string; number: number }>(base);
    const byId = `/api/projects/${encodeURIComponent(p.id)}/releases/${release.id}`;
    const cache = await openCache(values.cache ?? defaultCacheDir());

    let manifestBytes = values.verify ? null : await cachedManifest(cache, release.id);
    if (!manifestBytes) {
      const res = await api.fetch(`${byId}/manifest`);
      if (!res.ok) throw new Error(`GET the manifest of ${p.name}@${release.number}: HTTP ${res.status}`);
      manifestBytes = new Uint8Array(await res.arrayBuffer());
      const got = sha256Of(manifestBytes);
      if (got !== release.id) throw new Error(`the manifest of ${p.name}@${release.number} hashes to ${got}, not the release id ${release.id}: refusing it`);
      await storeManifest(cache, release.id, manifestBytes);
    }
    const parsed = parseManifest(Buffer.from(manifestBytes).toString('utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const manifest = parsed.value;
    const clash = clashingImagePaths(manifest, format);
    if (clash) throw new Error(`images ${clash[0]} and ${clash[1]} would both be ${imagePath(format, manifest.images.find((i) => i.fileName === clash[1])!)}`);
    const annotations = exportAnnotations(manifest, format);
    if (!annotations.ok) throw new Error(describeFormatError(annotations.error));

    // Each blob once, even when several images share bytes.
    const jobs = [...new Map(manifest.images.map((im) => [im.blob, { sha256: im.blob, bytes: im.bytes, fileName: im.fileName }])).values()];
    const total = jobs.reduce((n, j) => n + j.bytes, 0);
    const bar = meter(jobs.length, total);
    const started = performance.now();
    const http = blobGetter(api.server, api.token, connections);
    const counts = await downloadAll(jobs, {
      cache,
      connections,
      verify: values.verify,
      // By release id from here on: an alias that moves during the pull changes nothing.
      get: (sha, headers) => http.get(`${byId}/blobs/${sha}`, headers),
      onBytes: (n) => bar.bytes(n),
      onFile: () => bar.file(),
    }).finally(() => http.close());
    bar.done();

    const files: TreeFile[] = [...annotations.value.files].map(([path, content]) => ({ path, content }));
    files.push({ path: MANIFEST_FILE, content: manifestBytes });
    for (const im of manifest.images) files.push({ path: imagePath(format, im), content: { linkFrom: cache.blobPath(im.blob) } });
    await writeTree(outDir, files, values.force);
    for (const w of annotations.value.warnings.slice(0, 10)) console.error(`warning: ${w}`);
    const secs = (performance.now() - started) / 1000;
    console.log(
      `pulled ${p.name}@${release.number} (${release.id.slice(0, 12)}): ${manifest.images.length} images, ${counts.fetched} fetched, ${counts.cached} from the cache, ${(total / 1e6).toFixed(1)} MB in ${secs.toFixed(1)} s, as ${format} into ${outDir}`,
    );
  },
};
