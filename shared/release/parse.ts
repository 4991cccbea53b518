// Reading a manifest someone else wrote (a pulled manifest.json, a stored release): the schema
// checked with zod, every problem named by its JSON path. The bytes are trusted only after their
// SHA-256 matched the release id; this checks their shape.
import { z } from 'zod';
import { describeIssues } from '../stage.ts';
import { err, ok, type Result } from '../errors.ts';
import { RELEASE_SCHEMA, SPLIT_ORDER, type Manifest } from './manifest.ts';
import { SHAPE_KINDS } from '../formats/model.ts';

const sha = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 (64 hex digits)');
const manifestSchema = z.object({
  schema: z.literal(RELEASE_SCHEMA),
  project: z.string(),
  categories: z.array(z.object({ id: z.string(), name: z.string() })),
  images: z.array(
    z.object({
      blob: sha,
      bytes: z.number().int().nonnegative(),
      width: z.number().nonnegative(),
      height: z.number().nonnegative(),
      fileName: z.string().min(1),
      split: z.enum(SPLIT_ORDER as [string, ...string[]]),
      revision: sha,
      shapes: z.array(
        z.object({
          id: z.string(),
          kind: z.enum(Object.values(SHAPE_KINDS) as [string, ...string[]]),
          label: z.string(),
          points: z.array(z.number()),
          attrs: z.record(z.string(), z.unknown()),
        }),
      ),
      tags: z.array(z.string()),
    }),
  ),
});

export function parseManifest(text: string): Result<Manifest, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return err(`manifest: not JSON (${(e as Error).message})`);
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) return err(describeIssues('manifest', r.error));
  return ok(r.data as Manifest);
}
