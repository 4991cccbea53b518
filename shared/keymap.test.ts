import { describe, expect, it } from 'vitest';
import { actionFor, APP_SHORTCUT_KEYS, bindingText, KEYMAP, type KeyAction } from './keymap.ts';

const ev = (key: string, m: { ctrl?: boolean; shift?: boolean; alt?: boolean } = {}) => ({ key, ctrlKey: !!m.ctrl, metaKey: false, shiftKey: !!m.shift, altKey: !!m.alt });

describe('keymap', () => {
  it('maps key events to one action each, with modifiers', () => {
    expect(actionFor(ev('b'))).toBe('tool.box');
    expect(actionFor(ev('B', { shift: true }))).toBeNull();
    expect(actionFor(ev('z', { ctrl: true }))).toBe('edit.undo');
    expect(actionFor(ev('Z', { ctrl: true, shift: true }))).toBe('edit.redo');
    expect(actionFor(ev('H', { shift: true }))).toBe('shape.showAll');
    expect(actionFor(ev('?', { shift: true }))).toBe('help.sheet');
    expect(actionFor(ev('1'))).toBeNull();
    expect(actionFor(ev('b', { alt: true }))).toBeNull();
  });
  it('no two actions share a binding', () => {
    const seen = new Map<string, string>();
    for (const [id, a] of Object.entries(KEYMAP as Record<string, KeyAction>)) for (const b of a.bindings) for (const key of b.keys) {
      const sig = `${b.ctrl ? 'C' : ''}${b.shift ? 'S' : ''}${key.toLowerCase()}`;
      expect(seen.get(sig), `${id} and ${seen.get(sig)} share ${sig}`).toBeUndefined();
      seen.set(sig, id);
    }
  });
  it('reserves the unmodified keys for the page, never digits 1–9 (class keys)', () => {
    expect(APP_SHORTCUT_KEYS).toEqual(expect.arrayContaining(['v', 'b', 'p', 'l', 'o', 'd', 'f', '0', '?']));
    for (const d of '123456789') expect(APP_SHORTCUT_KEYS).not.toContain(d);
    expect(bindingText(KEYMAP['edit.redo'].bindings[1])).toBe('Ctrl+Shift+Z');
  });
});
