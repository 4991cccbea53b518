// The annotate page's keyboard map: one table that the shortcut sheet (`?`), the side panel's
// hints and the key handlers all derive from, and from which the server learns which keys a label
// class may not take as its hotkey. Pure data; the web app binds handlers to the action ids.

export interface KeyBinding {
  /** `KeyboardEvent.key` values, compared case-insensitively for letters. */
  keys: readonly string[];
  ctrl?: boolean;
  shift?: boolean;
}

export interface KeyAction {
  /** Shown in the sheet's groups, in this order. */
  group: 'Tools' | 'Drawing' | 'Shapes' | 'Edit' | 'View' | 'Images' | 'Review' | 'Help';
  bindings: readonly KeyBinding[];
  /** What the sheet and the hints say. */
  label: string;
  /** Changes annotations: absent for read-only viewers. */
  edits?: boolean;
  /** Also listed in the side panel's short hints. */
  hint?: boolean;
}

const k = (...keys: string[]): KeyBinding => ({ keys });
const ctrl = (...keys: string[]): KeyBinding => ({ keys, ctrl: true });

export const KEYMAP = {
  'tool.select': { group: 'Tools', bindings: [k('v')], label: 'Select, move, edit vertices', hint: true },
  'tool.box': { group: 'Tools', bindings: [k('b')], label: 'Box: drag', edits: true, hint: true },
  'tool.polygon': { group: 'Tools', bindings: [k('p')], label: 'Polygon: click points, click the first to close', edits: true, hint: true },
  'tool.polyline': { group: 'Tools', bindings: [k('l')], label: 'Polyline: click points, Enter to finish', edits: true, hint: true },
  'tool.point': { group: 'Tools', bindings: [k('o')], label: 'Point: click', edits: true, hint: true },
  'draw.finish': { group: 'Drawing', bindings: [k('Enter')], label: 'Finish the polygon or polyline (or double-click)', edits: true },
  'draw.cancel': { group: 'Drawing', bindings: [k('Escape')], label: 'Cancel drawing / deselect' },
  'shape.delete': { group: 'Shapes', bindings: [k('Delete', 'Backspace')], label: 'Delete the selected vertex or shape (while drawing: the last point)', edits: true, hint: true },
  'shape.cycle': { group: 'Shapes', bindings: [k('Tab')], label: 'Select the next shape under the pointer' },
  'shape.hide': { group: 'Shapes', bindings: [k('h')], label: 'Hide / show the selected shape' },
  'shape.showAll': { group: 'Shapes', bindings: [{ keys: ['h'], shift: true }], label: 'Show all hidden shapes' },
  'shape.lock': { group: 'Shapes', bindings: [k('k')], label: 'Lock / unlock the selected shape', edits: true },
  'edit.copy': { group: 'Edit', bindings: [ctrl('c')], label: 'Copy the selected shape' },
  'edit.paste': { group: 'Edit', bindings: [ctrl('v')], label: 'Paste (also on another image)', edits: true },
  'edit.undo': { group: 'Edit', bindings: [ctrl('z')], label: 'Undo your last action', edits: true, hint: true },
  'edit.redo': { group: 'Edit', bindings: [ctrl('y'), { keys: ['z'], ctrl: true, shift: true }], label: 'Redo', edits: true },
  'view.labels': { group: 'View', bindings: [k('n')], label: 'Hide / show labels' },
  'view.fit': { group: 'View', bindings: [k('0')], label: 'Fit the image' },
  'view.zoomIn': { group: 'View', bindings: [k('+', '=')], label: 'Zoom in (or wheel)' },
  'view.zoomOut': { group: 'View', bindings: [k('-')], label: 'Zoom out' },
  'image.prev': { group: 'Images', bindings: [k('d')], label: 'Previous image', hint: true },
  'image.next': { group: 'Images', bindings: [k('f')], label: 'Next image', hint: true },
  'help.sheet': { group: 'Help', bindings: [k('?')], label: 'This sheet', hint: true },
  'review.submit': { group: 'Review', bindings: [ctrl('Enter')], label: 'Submit the image for review', hint: true },
  'review.approve': { group: 'Review', bindings: [{ keys: ['Enter'], ctrl: true, shift: true }], label: 'Approve (reviewers, managers)' },
  'review.requestChanges': { group: 'Review', bindings: [{ keys: ['Backspace'], ctrl: true, shift: true }], label: 'Request changes, with a reason (on the selected shape)' },
} as const satisfies Record<string, KeyAction>;

export type ActionId = keyof typeof KEYMAP;

/** Pointer gestures, listed in the sheet beside the keys. */
export const GESTURES = [
  { keys: ['1–9', 'class key'], label: 'While drawing: the class of the next shape. In Select: relabel the selected shape', edits: true },
  { keys: ['Shift', 'class key'], label: 'Add / remove that class as an image tag', edits: true },
  { keys: ['Alt', 'click'], label: 'On an edge: add a vertex; on a vertex: delete it', edits: true },
  { keys: ['wheel'], label: 'Zoom at the pointer' },
  { keys: ['Space', 'drag'], label: 'Pan (or drag an empty area in Select)' },
] as const;

/** How a binding reads in the sheet, e.g. "Ctrl+Shift+Z". */
export function bindingText(b: KeyBinding): string {
  const name = (key: string) => (key.length === 1 ? key.toUpperCase() : key === 'Delete' ? 'Del' : key === 'Escape' ? 'Esc' : key);
  return [...(b.ctrl ? ['Ctrl'] : []), ...(b.shift ? ['Shift'] : []), b.keys.map(name).join(' / ')].join('+');
}

const norm = (key: string) => (key.length === 1 ? key.toLowerCase() : key);

/** The action a key event means, or null. `?` is matched with or without Shift. */
export function actionFor(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): ActionId | null {
  if (e.altKey) return null;
  const mod = e.ctrlKey || e.metaKey;
  for (const [id, a] of Object.entries(KEYMAP) as [ActionId, KeyAction][]) {
    for (const b of a.bindings) {
      if (!b.keys.some((x) => norm(x) === norm(e.key))) continue;
      if (!!b.ctrl !== mod) continue;
      const symbol = e.key.length === 1 && e.key.toLowerCase() === e.key.toUpperCase();
      if (!symbol && !!b.shift !== e.shiftKey) continue;
      return id;
    }
  }
  return null;
}

/** Unmodified single-character keys the page uses itself: a label class may not take them. */
export const APP_SHORTCUT_KEYS: readonly string[] = [
  ...new Set(
    Object.values(KEYMAP as Record<string, KeyAction>).flatMap((a) => a.bindings.filter((b) => !b.ctrl && !b.shift).flatMap((b) => b.keys.filter((x) => x.length === 1).map(norm))),
  ),
];
