import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { compareCodePoints } from '../../../workers/table/dictionary.js';
import { unionKeys } from '../../../workers/table/key-log.js';
import { compareKeys, defineLazyStrings, keyAt, keyCount, packKeys, unpackKeys } from '../../../workers/table/packed.js';
import { loadOne } from '../../support/harness.js';

/** Strings from ASCII, Latin-1, the BMP's private use and specials (U+E000–U+FFFD) and astral planes. */
const text = fc.array(fc.constantFrom('a', 'B', '0', 'é', 'Ñ', '\uE000', '\uFF21', '\uFFFD', '😀', '𝔸', ''), { maxLength: 5 }).map((parts) => parts.join(''));

describe('keys kept as UTF-8 bytes (order ids)', () => {
  it('round trip: every key comes back as the string it was, one by one or all at once', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 20 }), (values) => {
        const keys = packKeys(values);
        expect(keyCount(keys)).to.equal(values.length);
        expect(unpackKeys(keys)).to.deep.equal(values);
        values.forEach((v, c) => expect(keyAt(keys, c)).to.equal(v));
      }),
    );
  });

  it('compares keys in code point order, as the sorted dictionaries and SQL engines do', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const keys = packKeys([a, b]);
        expect(Math.sign(compareKeys(keys, 0, 1)), `${a} vs ${b}`).to.equal(Math.sign(compareCodePoints(a, b)));
      }),
    );
    // UTF-16 units put an astral character before U+FF21; code points put it after
    const keys = packKeys(['😀', '\uFF21']);
    expect(compareKeys(keys, 0, 1)).to.be.greaterThan(0);
    expect('😀' < '\uFF21', 'UTF-16 order differs').to.equal(true);
  });

  it('unites lists by first appearance, list by list, with a remap per list', () => {
    const { keys, remaps } = unionKeys([packKeys(['o2', 'o1']), packKeys(['o3', 'o2', 'ö'])]);
    expect(unpackKeys(keys)).to.deep.equal(['o2', 'o1', 'o3', 'ö']);
    expect(remaps.map((r) => Array.from(r))).to.deep.equal([
      [0, 1],
      [2, 0, 3],
    ]);
    // against a union through a Map of strings, with numeric ids (the key log's numeric form), text and
    // a list that begins with the key the one before it ended with
    const key = fc.constantFrom('O00001', 'O00002', 'R00001', 'O1', 'x', 'ö', '😀', 'long-order-id-over-16-bytes');
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(key, { maxLength: 6 }), { minLength: 2, maxLength: 4 }), (lists) => {
        const index = new Map<string, number>();
        for (const list of lists) for (const k of list) if (!index.has(k)) index.set(k, index.size);
        const union = unionKeys(lists.map(packKeys));
        expect(unpackKeys(union.keys)).to.deep.equal([...index.keys()]);
        expect(union.remaps.map((r) => Array.from(r))).to.deep.equal(lists.map((list) => list.map((k) => index.get(k))));
      }),
    );
    expect(unpackKeys(unionKeys([packKeys(['a', 'x']), packKeys(['x', 'b'])]).keys)).to.deep.equal(['a', 'x', 'b']);
    const one = packKeys(['x', 'y']);
    const single = unionKeys([one]);
    expect([single.keys === one, Array.from(single.remaps[0]!)]).to.deep.equal([true, [0, 1]]);
  });

  it('decodes lazily: the property is enumerable, read once, and survives spreading and cloning', () => {
    const target = { other: 1, ids: [] as string[] };
    defineLazyStrings(target, 'ids', packKeys(['O1', 'Ö2']));
    expect(Object.keys(target)).to.deep.equal(['other', 'ids']);
    const first = target.ids;
    expect(first).to.deep.equal(['O1', 'Ö2']);
    expect(target.ids, 'decoded once').to.equal(first);
    expect({ ...target }.ids).to.deep.equal(['O1', 'Ö2']);
    const fresh = { ids: [] as string[] };
    defineLazyStrings(fresh, 'ids', packKeys(['a']));
    expect(structuredClone(fresh)).to.deep.equal({ ids: ['a'] });
  });

  it("breaks a tie between two orders of one customer at one instant by the ids' code points", () => {
    // same customer, same time: the order with id Ａ1 (U+FF21) comes before 😀1, which UTF-16 units would reverse
    const r = loadOne({ table: 'orders', body: 'order_id,customer_id,ordered_at,revenue\n😀1,c1,2024-01-05T10:00:00Z,5\n\uFF211,c1,2024-01-05T10:00:00Z,7\n' });
    expect(Array.from(r.columns.orders.orderId, (c) => r.columns.dictionaries.orderIds[c])).to.deep.equal(['\uFF211', '😀1']);
    expect(Array.from(r.columns.orders.revenue)).to.deep.equal([7, 5]);
  });
});
