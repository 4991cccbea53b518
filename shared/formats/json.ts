// JSON parsing for importers: JSON.parse on the fast path; on failure a small scanner finds the
// line and column of the first error, since V8's messages do not always carry a position.
import { ok } from '../errors.ts';
import { formatError, type FormatResult } from './model.ts';

export function parseJson(text: string, file: string): FormatResult<unknown> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    const { offset, problem } = locateJsonError(text) ?? { offset: text.length, problem: (e as Error).message };
    return formatError(file, lineColumn(text, offset), `invalid JSON: ${problem}`);
  }
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
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a double-quoted property name');
        string();
        ws();
        if (text[i] !== ':') fail('expected ":" after property name');
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail('expected "," or "}" after property value');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail('expected "," or "]" after array element');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail('unexpected text after the JSON value');
    return null;
  } catch (e) {
    if (e && typeof e === 'object' && 'offset' in e) return e as { offset: number; problem: string };
    throw e;
  }
}
