// The authorship check on updates from connections: a connection may write only its own user id
// where the schema records a writer (a shape's `author`, a message's `author`), and may not
// remove messages other users wrote. Works on the decoded update (`Y.decodeUpdate`) against the
// live document, before anything is applied; what the keys mean comes from shared/doc/authorship.ts.
import * as Y from 'yjs';
import { AUTHOR_KEYS, claimedAuthors, isFreeFormPath, isMessagesPath, mayClaimAuthorship, type DocPath } from '../../shared/doc/authorship.ts';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;
type Struct = DecodedUpdate['structs'][number];

/**
 * `ok`; `forged` (an author other than the connection's user, or removes someone else's message);
 * `unverifiable` (an item refers to content the server does not have, so where it goes is unknown).
 */
export type AuthorshipVerdict = 'ok' | 'forged' | 'unverifiable';

/** Where an item goes: the map key it sets (null in a list), and its parent, as far as known. */
interface Place {
  key: string | null;
  /** A root type's name, an item id (the parent type's item, possibly in the update), or a live type. */
  parent: string | Y.ID | Y.AbstractType<any>;
}
const GONE = 'gone' as const; // refers to garbage-collected content: Yjs turns it into a GC struct

/** A live item by id, or null when the server does not have that clock. */
function liveStruct(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  const structs = doc.store.clients.get(id.client);
  if (!structs || structs.length === 0) return null;
  const last = structs[structs.length - 1];
  if (id.clock >= last.id.clock + last.length) return null;
  return structs[Y.findIndexSS(structs, id.clock)] as Y.Item | Y.GC;
}

const isItem = (s: unknown): s is Y.Item => s instanceof Y.Item;

/** The keys from the root type's name down to a live type. */
function livePath(type: Y.AbstractType<any>): DocPath {
  const keys: (string | null)[] = [];
  let t = type;
  while (t._item) {
    keys.unshift(t._item.parentSub);
    t = t._item.parent as Y.AbstractType<any>;
  }
  let root: string | null = null;
  for (const [name, r] of t.doc?.share ?? []) if (r === t) root = name;
  keys.unshift(root);
  return keys;
}

export function checkAuthorship(doc: Y.Doc, update: DecodedUpdate, userId: string): AuthorshipVerdict {
  // Structs of the update by client, to resolve references inside the update itself.
  let byClient: Map<number, Struct[]> | null = null;
  const inUpdate = (id: Y.ID): Struct | null => {
    if (!byClient) {
      byClient = new Map();
      for (const x of update.structs) {
        const list = byClient.get(x.id.client);
        if (list) list.push(x);
        else byClient.set(x.id.client, [x]);
      }
    }
    for (const x of byClient.get(id.client) ?? []) if (x.id.clock <= id.clock && id.clock < x.id.clock + x.length) return x;
    return null;
  };

  /** Where an update item goes; GONE; or null when it refers to something the server lacks. */
  const placeOf = (item: Y.Item): Place | typeof GONE | null => {
    let cur: Y.Item = item;
    for (let hops = 0; hops <= update.structs.length; hops++) {
      if (cur.parent !== null) return { key: cur.parentSub, parent: cur.parent as unknown as string | Y.ID };
      const ref = cur.origin ?? cur.rightOrigin;
      if (!ref) return GONE;
      const live = liveStruct(doc, ref);
      if (live) return isItem(live) ? { key: live.parentSub, parent: live.parent as Y.AbstractType<any> } : GONE;
      const next = inUpdate(ref);
      if (!next) return null;
      if (!isItem(next)) return GONE;
      cur = next;
    }
    return null; // a cycle: not a real update
  };

  /** The live parent type, if the server has it. */
  const liveParent = (p: Place): Y.AbstractType<any> | null => {
    if (typeof p.parent === 'string') return doc.share.get(p.parent) ?? null;
    if (p.parent instanceof Y.AbstractType) return p.parent;
    const s = liveStruct(doc, p.parent);
    return isItem(s) && s.content instanceof Y.ContentType ? s.content.type : null;
  };

  /** The keys from the root down to the parent type; undefined when the server cannot tell. */
  const parentPath = (p: Place, depth = 0): DocPath | undefined => {
    if (typeof p.parent === 'string') return [p.parent];
    if (p.parent instanceof Y.AbstractType) return livePath(p.parent);
    const live = liveStruct(doc, p.parent);
    if (live) return isItem(live) && live.content instanceof Y.ContentType ? livePath(live.content.type) : undefined;
    const s = inUpdate(p.parent);
    if (!isItem(s) || depth > 32) return undefined;
    const sp = placeOf(s);
    if (!sp || sp === GONE) return undefined;
    const up = parentPath(sp, depth + 1);
    return up && [...up, sp.key];
  };

  const othersIn = (values: readonly unknown[]) => claimedAuthors(values).some((a) => a !== userId);

  /** Whether removing live content (the slice [from, to) of an item) removes a message someone else wrote. */
  const removesOthersMessages = (item: Y.Item, from = 0, to = item.length, depth = 0): boolean => {
    if (item.deleted || depth > 32) return false;
    const c = item.content;
    if (c instanceof Y.ContentType) {
      const t = c.type;
      for (let n = t._start; n; n = n.right) if (removesOthersMessages(n, 0, n.length, depth + 1)) return true;
      for (const n of t._map.values()) if (removesOthersMessages(n, 0, n.length, depth + 1)) return true;
      return false;
    }
    if (!(c instanceof Y.ContentAny || c instanceof Y.ContentJSON)) return false;
    if (!othersIn(c.getContent().slice(from, to))) return false;
    const path = livePath(item.parent as Y.AbstractType<any>);
    // a message in a thread's messages list, or a plain list of messages set as a thread's messages
    return isMessagesPath(path) || (item.parentSub !== null && isMessagesPath([...path, item.parentSub]));
  };

  for (const s of update.structs) {
    if (!isItem(s)) continue;
    const c = s.content;
    if (c instanceof Y.ContentDeleted) continue;
    if (liveStruct(doc, { client: s.id.client, clock: s.id.clock + s.length - 1 })) continue; // the server has all of it: Yjs skips it
    const values = c instanceof Y.ContentAny || c instanceof Y.ContentJSON ? (c.getContent() as unknown[]) : null;
    const claims = values !== null && values.some(mayClaimAuthorship);
    const place = placeOf(s);
    if (place === GONE) continue;
    if (place === null) {
      // Placed next to content the server lacks (Yjs would hold it pending): fine only if it cannot name anyone.
      if (values === null || claims) return 'unverifiable';
      continue;
    }
    if (place.key !== null) {
      if (AUTHOR_KEYS.has(place.key) && !(values !== null && values.length > 0 && values.every((v) => v === userId))) {
        const path = parentPath(place);
        if (path === undefined) return 'unverifiable';
        if (!isFreeFormPath(path)) return 'forged';
      }
      // Setting a key replaces (deletes) its current value: not when that is someone else's
      // authorship (taking over a shape) or holds their messages.
      const current = liveParent(place)?._map.get(place.key);
      if (current && !current.deleted) {
        if (AUTHOR_KEYS.has(place.key) && current.content.getContent().some((v) => v !== userId)) {
          const path = parentPath(place);
          if (path === undefined) return 'unverifiable';
          if (!isFreeFormPath(path)) return 'forged';
        }
        if (removesOthersMessages(current)) return 'forged';
      }
    }
    if (claims && othersIn(values!)) {
      const path = parentPath(place);
      if (path === undefined) return 'unverifiable';
      if (!isFreeFormPath(path)) return 'forged';
    }
  }

  // Deletions: others' shapes may go (reviewers delete wrong shapes), others' messages may not.
  for (const [client, ranges] of update.ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs || structs.length === 0) continue;
    const last = structs[structs.length - 1];
    const end = last.id.clock + last.length;
    for (const r of ranges) {
      const stop = Math.min(r.clock + r.len, end);
      if (r.clock >= stop) continue;
      for (let i = Y.findIndexSS(structs, r.clock); i < structs.length && structs[i].id.clock < stop; i++) {
        const it = structs[i];
        if (!isItem(it) || it.deleted) continue;
        const from = Math.max(0, r.clock - it.id.clock);
        const to = Math.min(it.length, stop - it.id.clock);
        if (removesOthersMessages(it, from, to)) return 'forged';
      }
    }
  }
  return 'ok';
}
