// Branded id types: a ProjectId cannot be passed where an ImageId is expected.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UserId = Brand<string, 'UserId'>;
export type ProjectId = Brand<string, 'ProjectId'>;
export type ImageId = Brand<string, 'ImageId'>;
export type ClassId = Brand<string, 'ClassId'>;
export type Sha256 = Brand<string, 'Sha256'>;

export const SHA256_RE = /^[0-9a-f]{64}$/;
export const isSha256 = (s: string): s is Sha256 => SHA256_RE.test(s);

/** Document names on the sync socket: `ann:<imageId>` and `cmt:<imageId>`. */
export const DOC_KINDS = ['ann', 'cmt'] as const;
export type DocKind = (typeof DOC_KINDS)[number];
export type DocName = `${DocKind}:${string}`;

export function parseDocName(name: string): { kind: DocKind; imageId: ImageId } | null {
  const m = /^(ann|cmt):([A-Za-z0-9_-]{1,64})$/.exec(name);
  if (!m) return null;
  return { kind: m[1] as DocKind, imageId: m[2] as ImageId };
}
export const docName = (kind: DocKind, imageId: ImageId): DocName => `${kind}:${imageId}`;
