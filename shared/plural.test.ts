import { describe, expect, it } from 'vitest';
import { plural } from './plural.ts';

describe('plural', () => {
  it('uses the singular for exactly one and the plural otherwise, including zero', () => {
    expect(plural(1, 'image')).toBe('1 image');
    expect(plural(0, 'image')).toBe('0 images');
    expect(plural(2, 'class', 'classes')).toBe('2 classes');
  });

  it('groups thousands the same on every machine', () => {
    expect(plural(12345, 'shape')).toBe('12,345 shapes');
  });
});
