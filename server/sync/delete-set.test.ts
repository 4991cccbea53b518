import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { rng } from '../../shared/formats/testing/test-data.ts';
import { addsNothing, encodedView, liveView, rangeCovered, sortedRanges, type ClockRange } from './delete-set.ts';

const naiveCovered = (ranges: ClockRange[], clock: number, len: number) => {
  for (let c = clock; c < clock + len; c++) if (!ranges.some((r) => c >= r.clock && c < r.clock + r.len)) return false;
  return true;
};

describe('rangeCovered', () => {
  it('covers inside, across touching and overlapping ranges, and not across a gap', () => {
    const ranges = [{ clock: 0, len: 3 }, { clock: 3, len: 2 }, { clock: 4, len: 4 }, { clock: 10, len: 1 }];
    expect(rangeCovered(ranges, 1, 1)).toBe(true);
    expect(rangeCovered(ranges, 0, 8)).toBe(true); // touching (0–3, 3–5) and overlapping (4–8)
    expect(rangeCovered(ranges, 7, 2)).toBe(false); // 8 is not deleted
    expect(rangeCovered(ranges, 9, 2)).toBe(false);
    expect(rangeCovered(ranges, 10, 1)).toBe(true);
    expect(rangeCovered([], 0, 1)).toBe(false);
    expect(rangeCovered(undefined, 0, 1)).toBe(false);
  });

  it('agrees with a clock-by-clock check on random ranges', () => {
    const seed = 20261201;
    const next = rng(seed);
    for (let round = 0; round < 500; round++) {
      const ranges = Array.from({ length: Math.floor(next() * 6) }, () => ({ clock: Math.floor(next() * 30), len: 1 + Math.floor(next() * 5) }))
        .sort((a, b) => a.clock - b.clock);
      const clock = Math.floor(next() * 35);
      const len = 1 + Math.floor(next() * 6);
      expect(rangeCovered(ranges, clock, len), `seed ${seed} round ${round}: ${JSON.stringify({ ranges, clock, len })}`)
        .toBe(naiveCovered(ranges, clock, len));
    }
  });
});

describe('addsNothing', () => {
  /** A document with a few inserts and deletions, and the update a returning client would send. */
  function fixture() {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'hello world');
    text.delete(2, 3);
    text.delete(0, 1);
    return doc;
  }
  const views = (doc: Y.Doc) => {
    const state = Y.encodeStateAsUpdate(doc);
    return {
      live: liveView(doc),
      encoded: encodedView(Y.decodeStateVector(Y.encodeStateVector(doc)), () => sortedRanges(Y.decodeUpdate(state).ds)),
    };
  };

  it('a repeat of the whole state adds nothing, on a live and on an encoded document alike', () => {
    const doc = fixture();
    const repeat = Y.decodeUpdate(Y.encodeStateAsUpdate(doc));
    for (const view of Object.values(views(doc))) expect(addsNothing(repeat, view)).toBe(true);
  });

  it('a new insert or a new deletion adds something, on both views', () => {
    const doc = fixture();
    const { live, encoded } = views(doc);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(peer);
    peer.getText('t').delete(3, 1); // a deletion only: no new structs beyond a delete set
    const deletion = Y.decodeUpdate(Y.encodeStateAsUpdate(peer, sv));
    expect(deletion.ds.clients.size).toBe(1);
    expect(addsNothing(deletion, live)).toBe(false);
    expect(addsNothing(deletion, encoded)).toBe(false);
    peer.getText('t').insert(0, 'x');
    const insert = Y.decodeUpdate(Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)));
    expect(addsNothing(insert, live)).toBe(false);
    expect(addsNothing(insert, encoded)).toBe(false);
  });

  it('the encoded view decodes its delete set only when a deletion has to be checked', () => {
    const doc = fixture();
    let decoded = 0;
    const view = encodedView(Y.decodeStateVector(Y.encodeStateVector(doc)), () => (decoded++, sortedRanges(Y.decodeUpdate(Y.encodeStateAsUpdate(doc)).ds)));
    const empty = Y.decodeUpdate(Y.encodeStateAsUpdate(new Y.Doc()));
    expect(addsNothing(empty, view)).toBe(true);
    expect(decoded).toBe(0);
    expect(addsNothing(Y.decodeUpdate(Y.encodeStateAsUpdate(doc)), view)).toBe(true);
    expect(decoded).toBeGreaterThan(0);
  });
});
