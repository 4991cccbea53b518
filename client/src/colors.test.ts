import { describe, expect, it } from 'vitest';
import { nextClassColor, PALETTE, personColor } from './colors.ts';

describe('colours', () => {
  it('gives every person of a project a distinct #rrggbb colour that every viewer agrees on', () => {
    const people = ['u3', 'u1', 'u2'];
    const colors = people.map((u) => personColor(u, people));
    expect(new Set(colors).size).toBe(3);
    for (const c of colors) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(personColor('u2', ['u1', 'u2', 'u3'])).toBe(personColor('u2', people));
    expect(personColor('stranger')).toMatch(/^#[0-9a-f]{6}$/);
  });
  it('picks an unused colour for a new class', () => {
    expect(nextClassColor([])).toBe(PALETTE[0]);
    expect(nextClassColor([PALETTE[0].toUpperCase(), PALETTE[1]])).toBe(PALETTE[2]);
  });
});
