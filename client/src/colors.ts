// Colours the web app hands out: one palette of distinct, readable #rrggbb colours for people
// (presence) and for new label classes.
export const PALETTE = [
  '#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#008080',
  '#f032e6', '#9a6324', '#800000', '#469990', '#000075', '#808000',
] as const;

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}

/**
 * A person's colour: their position among the project's people (sorted by user id, so every
 * viewer agrees), which keeps up to 12 people distinct; a hash of the id for anyone unknown.
 */
export function personColor(userId: string, people: readonly string[] = []): string {
  const sorted = [...new Set(people)].sort();
  const i = sorted.indexOf(userId);
  return PALETTE[(i >= 0 ? i : hash(userId)) % PALETTE.length]!;
}

/** A colour for a new class: the first palette colour no existing class uses. */
export function nextClassColor(used: readonly string[]): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  return PALETTE.find((c) => !taken.has(c)) ?? PALETTE[used.length % PALETTE.length]!;
}
