// Counted nouns for people to read: "1 image", "2,000 shapes", "3 classes". One copy for the web
// client, the CLI and generated release notes, so the same count reads the same everywhere.

/** `n` with its noun: singular for exactly 1, else `many` (default: `one` + "s"); thousands grouped. */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
