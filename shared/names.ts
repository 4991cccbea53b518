// Names people give things (label classes, projects) and file names from uploads: control
// characters (NUL, CR/LF, …) and bidirectional overrides (which make "gpj.exe" display as
// "exe.jpg") are stripped, whitespace is trimmed, and the length is capped. One definition for the
// REST routes and the import, so an import cannot create a class the REST API would refuse.
import { z } from 'zod';

export const NAME_MAX = 200;
export const FILE_NAME_MAX = 255;

// C0 and C1 controls, DEL; bidi embeddings, overrides and isolates; LRM/RLM/ALM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text without control characters and bidi controls, whitespace trimmed. */
export const stripUnsafe = (s: string) => s.replace(UNSAFE, '').trim();

/** A display name (label class, project): cleaned, then 1–200 characters. */
export const DisplayName = z
  .string()
  .transform(stripUnsafe)
  .pipe(z.string().min(1, 'must not be empty (after removing control characters and spaces)').max(NAME_MAX, `use at most ${NAME_MAX} characters`));

/**
 * A stored file name: cleaned, folders kept, at most 255 characters (the end of the name is cut
 * before its extension, which stays). Never empty.
 */
export function cleanFileName(name: string): string {
  const s = stripUnsafe(name) || 'unnamed';
  if (s.length <= FILE_NAME_MAX) return s;
  const dot = s.lastIndexOf('.');
  const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
  return s.slice(0, FILE_NAME_MAX - ext.length) + ext;
}
