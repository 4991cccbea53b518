import { describe, expect, it } from 'vitest';
import { cleanFileName, DisplayName, FILE_NAME_MAX } from './names.ts';

describe('names', () => {
  it('strips control characters and bidi overrides, trims, and caps class names', () => {
    expect(DisplayName.parse(' car\u0000\r\n ')).toBe('car');
    expect(DisplayName.parse('\u202egpj.exe')).toBe('gpj.exe');
    expect(DisplayName.safeParse(' ').success).toBe(false);
    expect(DisplayName.safeParse('\u0007').success).toBe(false);
    expect(DisplayName.safeParse('x'.repeat(5000)).success).toBe(false);
    expect(DisplayName.parse('Straßenbahn 🚋')).toBe('Straßenbahn 🚋');
  });

  it('cleans file names and caps them keeping the extension', () => {
    expect(cleanFileName('a\u0000b\n.jpg')).toBe('ab.jpg');
    expect(cleanFileName('photo\u202eGNP.exe')).toBe('photoGNP.exe');
    expect(cleanFileName('\u0001')).toBe('unnamed');
    const long = cleanFileName(`${'x'.repeat(1000)}.jpeg`);
    expect(long).toHaveLength(FILE_NAME_MAX);
    expect(long.endsWith('.jpeg')).toBe(true);
  });
});
