// Undo and redo of this user's own actions, one action per step, never over a collaborator's
// later change. Wraps Y.UndoManager (tracking only the local origin, captureTimeout 0 so that
// quick actions are never merged) and adds a guard: every step remembers, for each shape or tag it
// touched, a fingerprint of how the action left it; a step is applied only while all of them are
// unchanged. Otherwise nothing is changed and the caller is told why (Y.UndoManager on its own
// would silently skip a step that no longer applies and undo an older, unrelated one instead).
import * as Y from 'yjs';

export type UndoResult =
  | { ok: true; what: string }
  | { ok: false; reason: 'empty' }
  /** A collaborator changed what this step touched since: nothing was changed, the step was dropped. */
  | { ok: false; reason: 'conflict'; what: string };

export interface GuardedUndo {
  /** Runs one user action (one transaction with `origin`) as one undo step touching `keys`. */
  run<T>(what: string, keys: readonly string[], action: () => T): T;
  undo(): UndoResult;
  redo(): UndoResult;
  destroy(): void;
}

interface StepMeta {
  what: string;
  /** key → fingerprint right after the step (or after its undo/redo) was applied. */
  after: Map<string, string>;
}
const META = 'tessera-step';

/**
 * `fingerprint(key)` describes the current state of one touched thing (e.g. the JSON of a shape,
 * or "absent"); equal fingerprints mean nobody changed it.
 */
export function guardedUndo(scope: Y.AbstractType<any>[], origin: unknown, fingerprint: (key: string) => string): GuardedUndo {
  const um = new Y.UndoManager(scope, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
  let added: Y.UndoManager['undoStack'][number] | null = null;
  const onAdded = (e: { stackItem: Y.UndoManager['undoStack'][number] }) => {
    added = e.stackItem;
  };
  um.on('stack-item-added', onAdded);

  const remember = (item: Y.UndoManager['undoStack'][number] | null, what: string, keys: Iterable<string>) => {
    if (!item) return;
    const after = new Map<string, string>();
    for (const k of keys) after.set(k, fingerprint(k));
    item.meta.set(META, { what, after } satisfies StepMeta);
  };

  const apply = (stack: Y.UndoManager['undoStack'], act: () => unknown): UndoResult => {
    const top = stack[stack.length - 1];
    if (!top) return { ok: false, reason: 'empty' };
    const meta = top.meta.get(META) as StepMeta | undefined;
    const clean = !!meta && [...meta.after].every(([k, f]) => fingerprint(k) === f);
    if (!meta || !clean) {
      stack.pop();
      return { ok: false, reason: 'conflict', what: meta?.what ?? 'that step' };
    }
    added = null;
    act();
    remember(added, meta.what, meta.after.keys());
    return { ok: true, what: meta.what };
  };

  return {
    run(what, keys, action) {
      added = null;
      um.stopCapturing();
      const out = action();
      remember(added, what, keys);
      return out;
    },
    undo: () => apply(um.undoStack, () => um.undo()),
    redo: () => apply(um.redoStack, () => um.redo()),
    destroy() {
      um.off('stack-item-added', onAdded);
      um.destroy();
    },
  };
}
