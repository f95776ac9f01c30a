import { expect } from '@open-wc/testing';
import { isValidUtf8, sniffUtf16 } from '../../../workers/ingest/encoding.js';
import { loadOne, thrown } from '../../support/harness.js';

const ORDERS = 'customer_id,ordered_at,revenue\nMüller,2024-01-05,10\nCafé Ñ,2024-01-06,20\n';

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const view = new DataView(out.buffer);
  let at = 0;
  if (bom) {
    view.setUint16(0, 0xfeff, littleEndian);
    at = 2;
  }
  for (let i = 0; i < text.length; i++, at += 2) view.setUint16(at, text.charCodeAt(i), littleEndian);
  return out;
}

function windows1252(text: string): Uint8Array {
  const map: Record<string, number> = { '€': 0x80, '’': 0x92 };
  return Uint8Array.from([...text].map((c) => map[c] ?? c.charCodeAt(0)));
}

describe('encodings', () => {
  it('reads UTF-8 without and with a BOM, and reports which', () => {
    const plain = loadOne({ table: 'orders', body: ORDERS });
    expect(plain.columns.dictionaries.customers).to.deep.equal(['Café Ñ', 'Müller']);
    expect(plain.sources[0]!.encoding).to.equal('utf-8');
    expect(plain.sources[0]!.bom).to.equal(false);
    const bom = loadOne({ table: 'orders', body: new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(ORDERS)]) });
    expect(bom.columns.dictionaries.customers).to.deep.equal(['Café Ñ', 'Müller']);
    expect(bom.sources[0]!.bom).to.equal(true);
    // the BOM does not stick to the first column name
    expect(bom.sources[0]!.columns[0]).to.equal('customer_id');
  });

  it('reads UTF-16 LE and BE with a BOM, in odd-sized chunks', () => {
    for (const le of [true, false]) {
      const r = loadOne({ table: 'orders', body: utf16(ORDERS, le, true), chunks: [3, 5, 7] });
      expect(r.columns.dictionaries.customers).to.deep.equal(['Café Ñ', 'Müller']);
      expect(r.sources[0]!.encoding).to.equal(le ? 'utf-16le' : 'utf-16be');
      expect(r.columns.orders.count).to.equal(2);
    }
  });

  it('recognises UTF-16 without a BOM from its zero bytes', () => {
    expect(sniffUtf16(utf16('customer_id,revenue\n', true, false))).to.equal('utf-16le');
    expect(sniffUtf16(utf16('customer_id,revenue\n', false, false))).to.equal('utf-16be');
    expect(sniffUtf16(new TextEncoder().encode('customer_id,revenue\n'))).to.equal(null);
    const r = loadOne({ table: 'orders', body: utf16(ORDERS, true, false) });
    expect(r.sources[0]!.encoding).to.equal('utf-16le');
    expect(r.columns.dictionaries.customers).to.deep.equal(['Café Ñ', 'Müller']);
  });

  it('detects windows-1252 (Excel) from bytes that are not UTF-8, even deep in the file', () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `c${i},2024-01-05,1`).join('\n');
    const body = windows1252(`customer_id,ordered_at,revenue\n${filler}\nMüller,2024-01-05,10\nO’Brien,2024-01-06,2 €\n`);
    const r = loadOne({ table: 'orders', body, chunks: [4096] });
    expect(r.sources[0]!.encoding).to.equal('windows-1252');
    expect(r.columns.dictionaries.customers).to.include('Müller');
    expect(r.columns.dictionaries.customers).to.include('O’Brien');
    expect(r.report.tables.orders!.rowsAccepted).to.equal(3002);
  });

  it('fails clearly when the caller says UTF-8 and the bytes are not', () => {
    const error = thrown(() => loadOne({ table: 'orders', encoding: 'utf-8', body: windows1252(ORDERS) }));
    expect(error.code).to.equal('encoding');
    expect(error.message).to.contain('not valid UTF-8');
    expect(String(error.hint)).to.contain('auto');
  });

  it('keeps order ids of any encoding as the text they are (decoded from windows-1252, UTF-16 or UTF-8)', () => {
    const text = 'order_id,customer_id,ordered_at,revenue\nNº1,c1,2024-01-05,10\nA’2,c1,2024-01-06,20\n';
    for (const [label, source] of [
      ['windows-1252', { table: 'orders', encoding: 'windows-1252', body: Uint8Array.from([...text].map((c) => (c === '’' ? 0x92 : c.charCodeAt(0)))) }],
      ['utf-16', { table: 'orders', body: utf16(text, true, true) }],
      ['utf-8', { table: 'orders', body: text }],
    ] as const) {
      const r = loadOne(source);
      const ids = Array.from(r.columns.orders.orderId, (c) => r.columns.dictionaries.orderIds[c]);
      expect(ids, label).to.deep.equal(['Nº1', 'A’2']);
    }
  });

  it('reads windows-1252 when declared', () => {
    const r = loadOne({ table: 'orders', encoding: 'windows-1252', body: windows1252(ORDERS) });
    expect(r.columns.dictionaries.customers).to.deep.equal(['Café Ñ', 'Müller']);
    expect(r.sources[0]!.encoding).to.equal('windows-1252');
  });

  it('validates UTF-8 strictly (overlongs, surrogates, truncation)', () => {
    const ok = (bytes: number[]): boolean => isValidUtf8(Uint8Array.from(bytes), 0, bytes.length);
    expect(ok([0x41, 0xc3, 0xa9])).to.equal(true);
    expect(ok([0xf0, 0x9f, 0x98, 0x80])).to.equal(true);
    expect(ok([0xc0, 0xaf])).to.equal(false); // overlong
    expect(ok([0xed, 0xa0, 0x80])).to.equal(false); // surrogate
    expect(ok([0xe2, 0x82])).to.equal(false); // truncated
    expect(ok([0xe9])).to.equal(false); // latin-1 é
    expect(ok([0xf5, 0x80, 0x80, 0x80])).to.equal(false); // beyond U+10FFFF
  });
});
