// JSON parsing for importers: JSON.parse on the fast path; on failure a small scanner finds the
// line and column of the first error, since V8's messages do not always carry a position.
import { ok } from '../errors.ts';
import { formatError, type FormatResult } from './model.ts';

export function parseJson(text: string, file: string): FormatResult<unknown> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    let found: { offset: number; problem: string } | null;
    try {
      found = locateJsonError(text);
    } catch (inner) {
      // The locator is iterative; this only guards against a stack or memory limit all the same.
      if (!(inner instanceof RangeError)) throw inner;
      found = null;
    }
    if (e instanceof RangeError) found = { offset: 0, problem: `nesting too deep (${e.message})` };
    const { offset, problem } = found ?? { offset: text.length, problem: (e as Error).message };
    return formatError(file, lineColumn(text, offset), `invalid JSON: ${problem}`);
  }
}

/**
 * How deep values kept verbatim from an input (attributes, unknown fields) may nest. JSON.parse
 * reads any depth, but JSON.stringify, XML writing and the document store recurse and would
 * overflow the stack on a value nested thousands deep.
 */
export const MAX_KEPT_DEPTH = 100;

/** Whether `v` nests objects/arrays more than `limit` deep (iterative, so safe at any depth). */
export function nestedDeeperThan(v: unknown, limit: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const stack: unknown[] = [v];
  const depths: number[] = [1];
  while (stack.length) {
    const x = stack.pop() as Record<string, unknown>;
    const d = depths.pop()!;
    if (d > limit) return true;
    for (const k in x) {
      const c = x[k];
      if (typeof c === 'object' && c !== null) {
        stack.push(c);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

/** `line L, column C` (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return `line ${line}, column ${offset - last}`;
}

/** The offset and nature of the first syntax error, or null when the text is valid JSON. */
export function locateJsonError(text: string): { offset: number; problem: string } | null {
  let i = 0;
  const fail = (problem: string) => {
    throw { offset: i, problem: i >= text.length ? 'unexpected end of input (truncated file?)' : problem };
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) fail(`unexpected character "${text[i]}"`);
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail('');
      const c = text.charCodeAt(i);
      if (c === 34) return void i++;
      if (c < 32) fail('control character in string');
      if (c === 92) {
        i++;
        if (text[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail('bad \\u escape');
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('bad escape');
      }
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(`unexpected character "${text[i]}"`);
    i += m![0].length;
  };
  // Iterative, with an explicit stack of open containers: input nested a million deep must
  // yield a position, not overflow the call stack.
  const OBJECT = 1;
  const ARRAY = 2;
  const open: number[] = [];
  /** Reads one value; for `{` or `[` only opens the container (the loop below reads its members). */
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      open.push(OBJECT);
      member();
      return;
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      open.push(ARRAY);
      ws();
      return;
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    number();
  };
  /** Reads `"name":` of an object member; its value follows. */
  const member = () => {
    ws();
    if (text[i] !== '"') fail('expected a double-quoted property name');
    string();
    ws();
    if (text[i] !== ':') fail('expected ":" after property name');
    i++;
  };
  /** After a value inside a container: a comma (then the next member) or the closing bracket. */
  const afterValue = () => {
    for (;;) {
      const top = open[open.length - 1];
      if (top === undefined) return;
      ws();
      if (text[i] === ',') {
        i++;
        if (top === OBJECT) member();
        return;
      }
      if (text[i] === (top === OBJECT ? '}' : ']')) {
        i++;
        open.pop();
        continue;
      }
      fail(top === OBJECT ? 'expected "," or "}" after property value' : 'expected "," or "]" after array element');
    }
  };
  const document = () => {
    do {
      const depth = open.length;
      value();
      // A container just opened waits for its first member's value; otherwise the value is done.
      if (open.length === depth) afterValue();
    } while (open.length > 0);
  };
  try {
    document();
    ws();
    if (i < text.length) fail('unexpected text after the JSON value');
    return null;
  } catch (e) {
    if (e && typeof e === 'object' && 'offset' in e) return e as { offset: number; problem: string };
    throw e;
  }
}
