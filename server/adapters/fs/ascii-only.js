// A bundle's text with every non-ASCII character written as a `\u` escape. esbuild already
// escapes them in code (charset ascii), but not in the comments it keeps, nor in what is written
// around its output (cli-bundle.js's first line); one `µ` in a comment makes V8 hold the whole
// source as a two-byte string, twice the file's size for the life of the process. In a comment
// the escape is only text; in a string (or JSON) it means the same character.
// Plain JavaScript: cli-bundle.js imports it before anything can transform TypeScript.

/**
 * @param {string} text
 * @returns {string}
 */
export const asciiOnly = (text) =>
  // Code units, not code points: a character outside the BMP becomes its two escaped surrogates.
  text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
