import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { NumberReader } from '../../../workers/ingest/numbers.js';

const encoder = new TextEncoder();

function read(text: string, options: { decimal?: '.' | ','; money?: boolean; json?: boolean; windows1252?: boolean } = {}): { value: number; error: string } {
  const reader = new NumberReader(options.decimal ?? '.', options.money ?? true);
  const bytes = options.windows1252 ? Uint8Array.from([...text].map((c) => (c === '€' ? 0x80 : c === '£' ? 0xa3 : c.charCodeAt(0)))) : encoder.encode(text);
  const value = reader.read(bytes, 0, bytes.length, options.json ?? false);
  return { value, error: Number.isNaN(value) ? reader.error : '' };
}

const value = (text: string, options?: Parameters<typeof read>[1]): number => read(text, options).value;

describe('numbers from bytes', () => {
  it('reads plain decimals exactly as parseFloat does', () => {
    for (const text of ['0', '-0', '7', '007', '12.5', '-12.50', '+3', '.5', '5.', '0.1', '0.05', '123456789.123', '99999999999999.99']) {
      expect(Object.is(value(text, { money: false }), parseFloat(text)), text).to.equal(true);
    }
  });

  it('reads long mantissas and exponents through the exact path', () => {
    expect(value('1234567890123456789', { money: false })).to.equal(1234567890123456789);
    expect(value('0.12345678901234567891', { money: false })).to.equal(0.12345678901234567891);
    expect(value('1.5E+3', { money: false })).to.equal(1500);
    expect(value('2e-3', { money: false })).to.equal(0.002);
  });

  it('rejects hex, Infinity, NaN, words and lone signs', () => {
    for (const text of ['0x10', 'Infinity', '-Infinity', 'NaN', 'abc', '-', '+', '.', '1.2.3', '1e', '--1']) {
      expect(read(text, { money: false }).error, text).to.equal('bad-number');
    }
  });

  it('reads a decimal comma when the dataset says so', () => {
    expect(value('12,5', { decimal: ',', money: false })).to.equal(12.5);
    expect(value('1.234,56', { decimal: ',' })).to.equal(1234.56);
    expect(value('-1.234.567,5', { decimal: ',' })).to.equal(-1234567.5);
    expect(value('1 234,56 €', { decimal: ',' })).to.equal(1234.56);
  });

  it('names a value with the other decimal separator', () => {
    expect(read('12,50').error).to.equal('decimal-separator');
    expect(read('12,50', { money: false }).error).to.equal('decimal-separator');
    expect(read('1234,567').error).to.equal('decimal-separator');
    expect(read('12.50', { decimal: ',', money: false }).error).to.equal('decimal-separator');
  });

  it('strips currency symbols, codes and thousands separators in money columns', () => {
    expect(value('$1,234.56')).to.equal(1234.56);
    expect(value('-$5.00')).to.equal(-5);
    expect(value('$-5.00')).to.equal(-5);
    expect(value('($1,200.00)')).to.equal(-1200);
    expect(value('12.50 €')).to.equal(12.5);
    expect(value('€12.50')).to.equal(12.5);
    expect(value('£3')).to.equal(3);
    expect(value('USD 1,000')).to.equal(1000);
    expect(value('1,000 EUR')).to.equal(1000);
    expect(value('US$ 7.25')).to.equal(7.25);
    expect(value("1'234.50")).to.equal(1234.5);
    expect(value('1\u00a0234.50')).to.equal(1234.5);
    expect(value('kr 99')).to.equal(99);
  });

  it('reads windows-1252 currency symbols', () => {
    expect(value('12.50 €', { windows1252: true })).to.equal(12.5);
    expect(value('£3.10', { windows1252: true })).to.equal(3.1);
  });

  it('rejects what only looks like money', () => {
    for (const text of ['12abc', 'abc12', '1,23,456', '12,3456', '$', 'EUR', '1,234.5.6', '$$', '12 34', '(5', '--5']) {
      expect(Number.isNaN(value(text)), text).to.equal(true);
    }
  });

  it('does not strip currency or separators outside money columns', () => {
    expect(read('$5', { money: false }).error).to.equal('bad-number');
    expect(Number.isNaN(value('1,234', { money: false }))).to.equal(true);
  });

  it('reads JSON number literals with a point whatever the dataset separator', () => {
    expect(value('12.5', { decimal: ',', json: true })).to.equal(12.5);
    expect(value('-1e2', { decimal: ',', json: true })).to.equal(-100);
  });

  it('counts grouped values and separator mismatches (for the decimal-comma check)', () => {
    const reader = new NumberReader('.', true);
    for (const text of ['1,234.00', '12,50']) {
      const b = encoder.encode(text);
      reader.read(b, 0, b.length, false);
    }
    expect(reader.groupedCount).to.equal(1);
    expect(reader.groupedExample).to.equal('1,234.00');
    expect(reader.separatorCount).to.equal(1);
    expect(reader.separatorExample).to.equal('12,50');
  });

  it('equals parseFloat on any decimal text (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 12 }), (x, digits) => {
        const text = Math.abs(x) < 1e15 ? x.toFixed(digits) : String(x);
        expect(Object.is(value(text, { money: false }), parseFloat(text)), text).to.equal(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads grouped money as the plain number (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 99 }), (units, cents) => {
        const plain = `${units}.${String(cents).padStart(2, '0')}`;
        const grouped = `${units < 0 ? '-' : ''}$${Math.abs(units).toLocaleString('en-US')}.${String(cents).padStart(2, '0')}`;
        expect(value(grouped), grouped).to.equal(parseFloat(plain));
        const german = `${units < 0 ? '-' : ''}${Math.abs(units).toLocaleString('de-DE')},${String(cents).padStart(2, '0')} €`;
        expect(value(german, { decimal: ',' }), german).to.equal(parseFloat(plain));
      }),
      { numRuns: 500 },
    );
  });
});
