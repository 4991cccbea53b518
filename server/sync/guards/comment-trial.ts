// The authorship judge for `cmt:` documents: an update from a connection is first applied to a
// shadow copy of the live document, and the threads it touched are read back with the client's own
// reader (shared/doc/authorship.ts) before and after. The live document is changed only if the
// result is allowed, so the judgement covers every way of writing a message (plain or Y types,
// missing fields, JSON content, replaced lists or threads) without listing them. The shadow
// follows the live document through its update events; a refused update has already touched the
// shadow, so it is rebuilt from the live document (that costs a decode of the document, once per
// refused update, and each refusal closes its connection). Comment documents are small: the
// shadow doubles their memory only while they are live.
import * as Y from 'yjs';
import { judgeThreadChange, threadMessages } from '../../../shared/doc/authorship.ts';
import { threadsMap } from '../../../shared/doc/comments.ts';

export type TrialVerdict =
  | { ok: true }
  /** `forged`: a message in someone else's name, or another's message changed or removed; `pending`: structs or deletions that do not fit the document. */
  | { ok: false; code: 'forged' | 'pending'; message: string };

/** The origin of trial applications on the shadow. */
const TRIAL = Symbol('trial');

function copyOf(live: Y.Doc): Y.Doc {
  const shadow = new Y.Doc({ gc: live.gc });
  Y.applyUpdate(shadow, Y.encodeStateAsUpdate(live));
  return shadow;
}

export class CommentTrial {
  private shadow: Y.Doc;
  private readonly mirror = (update: Uint8Array) => Y.applyUpdate(this.shadow, update);

  constructor(private readonly live: Y.Doc) {
    this.shadow = copyOf(live);
    live.on('update', this.mirror);
    live.once('destroy', () => this.dispose());
  }

  /** Applies `update` to the shadow and judges the threads it touched; the live document is not changed. */
  judge(update: Uint8Array, sender: string): TrialVerdict {
    const touched = new Set<string>();
    const threads = threadsMap(this.shadow);
    const observe = (events: Y.YEvent<any>[]) => {
      for (const e of events) {
        if (e.target === threads) for (const k of (e as Y.YMapEvent<unknown>).keysChanged) touched.add(k);
        else if (typeof e.path[0] === 'string') touched.add(e.path[0]);
      }
    };
    threads.observeDeep(observe);
    try {
      Y.applyUpdate(this.shadow, update, TRIAL);
    } catch (e) {
      this.rebuild();
      return { ok: false, code: 'pending', message: `the update does not apply: ${String(e)}` };
    } finally {
      threads.unobserveDeep(observe);
    }
    const store = this.shadow.store;
    if (store.pendingStructs || store.pendingDs) {
      this.rebuild();
      return { ok: false, code: 'pending', message: 'the update builds on or deletes content the document does not have' };
    }
    for (const id of touched) {
      const v = judgeThreadChange(id, threadMessages(this.live, id), threadMessages(this.shadow, id), sender);
      if (!v.ok) {
        this.rebuild();
        return { ok: false, code: 'forged', message: v.message };
      }
    }
    return { ok: true };
  }

  private rebuild(): void {
    this.shadow.destroy();
    this.shadow = copyOf(this.live);
  }

  private dispose(): void {
    this.live.off('update', this.mirror);
    this.shadow.destroy();
    trials.delete(this.live);
  }
}

const trials = new WeakMap<Y.Doc, CommentTrial>();

/** The trial of a live comment document, made on first use and dropped when the document is destroyed. */
export function commentTrial(live: Y.Doc): CommentTrial {
  let t = trials.get(live);
  if (!t) trials.set(live, (t = new CommentTrial(live)));
  return t;
}
