// Types of ascii-only.js (plain JavaScript: scripts/cli-bundle.js imports it before anything can transform TypeScript).

/** `text` with every non-ASCII code unit written as a `\u` escape. */
export declare function asciiOnly(text: string): string;
