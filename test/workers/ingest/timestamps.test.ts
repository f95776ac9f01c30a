import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { DateOrder } from '../../../src/core/options.js';
import { TimeZone } from '../../../src/core/time.js';
import { DEFERRED, TimestampReader } from '../../../workers/ingest/timestamps.js';

const encoder = new TextEncoder();

function reader(zone = 'UTC', order: DateOrder = 'auto'): TimestampReader {
  return new TimestampReader(TimeZone.get(zone), order);
}

function read(r: TimestampReader, text: string, json = false): number {
  const b = encoder.encode(text);
  return r.read(b, 0, b.length, json);
}

const iso = (text: string, zone = 'UTC'): string => new Date(read(reader(zone), text)).toISOString();

describe('timestamps from bytes', () => {
  it('reads ISO 8601 with offsets as instants', () => {
    expect(iso('2024-03-01T10:00:00Z')).to.equal('2024-03-01T10:00:00.000Z');
    expect(iso('2024-03-01T10:00:00+02:00')).to.equal('2024-03-01T08:00:00.000Z');
    expect(iso('2024-03-01T10:00:00-0530')).to.equal('2024-03-01T15:30:00.000Z');
    expect(iso('2024-03-01T10:00+01')).to.equal('2024-03-01T09:00:00.000Z');
    expect(iso('2024-03-01 10:00:00 UTC')).to.equal('2024-03-01T10:00:00.000Z');
    expect(iso('2024-03-01 10:00:00 +00:00')).to.equal('2024-03-01T10:00:00.000Z');
    expect(iso('2024-03-01T10:00:00.123456Z')).to.equal('2024-03-01T10:00:00.123Z');
    // an explicit offset ignores the dataset zone
    expect(iso('2024-03-01T10:00:00Z', 'America/New_York')).to.equal('2024-03-01T10:00:00.000Z');
  });

  it('reads values without offset in the dataset time zone', () => {
    expect(iso('2024-03-01 10:00:00')).to.equal('2024-03-01T10:00:00.000Z');
    expect(iso('2024-03-01T10:00', 'Europe/Berlin')).to.equal('2024-03-01T09:00:00.000Z');
    expect(iso('2024-07-01 10:00', 'Europe/Berlin')).to.equal('2024-07-01T08:00:00.000Z');
    expect(iso('2024-03-01', 'America/New_York')).to.equal('2024-03-01T05:00:00.000Z');
    expect(iso('2024/03/01 10:00', 'UTC')).to.equal('2024-03-01T10:00:00.000Z');
    expect(iso('2024-03-01 10:00', 'Asia/Kolkata')).to.equal('2024-03-01T04:30:00.000Z');
  });

  it('resolves DST gaps forward and repeated hours to the earlier instant', () => {
    // Europe/Berlin springs forward at 2024-03-31 02:00 local; 02:30 does not exist -> 03:30 CEST
    expect(iso('2024-03-31 02:30', 'Europe/Berlin')).to.equal('2024-03-31T01:30:00.000Z');
    // and falls back at 2024-10-27 03:00 CEST; 02:30 happens twice -> the first (CEST)
    expect(iso('2024-10-27 02:30', 'Europe/Berlin')).to.equal('2024-10-27T00:30:00.000Z');
    expect(iso('2024-10-27 03:30', 'Europe/Berlin')).to.equal('2024-10-27T02:30:00.000Z');
    // New York: 2024-03-10 02:30 does not exist; 2024-11-03 01:30 repeats
    expect(iso('2024-03-10 02:30', 'America/New_York')).to.equal('2024-03-10T07:30:00.000Z');
    expect(iso('2024-11-03 01:30', 'America/New_York')).to.equal('2024-11-03T05:30:00.000Z');
  });

  it('reads epoch seconds and milliseconds, including JSON numbers', () => {
    expect(iso('1709287200')).to.equal('2024-03-01T10:00:00.000Z');
    expect(iso('1709287200000')).to.equal('2024-03-01T10:00:00.000Z');
    expect(new Date(read(reader(), '1709287200.5', true)).toISOString()).to.equal('2024-03-01T10:00:00.500Z');
  });

  it('rejects numbers that are not epochs, with a hint for the usual suspects', () => {
    const r = reader();
    expect(Number.isNaN(read(r, '45352'))).to.equal(true);
    expect(r.detail).to.match(/Excel serial/);
    expect(Number.isNaN(read(r, '20240301'))).to.equal(true);
    expect(r.detail).to.match(/YYYYMMDD/);
    expect(Number.isNaN(read(r, '12'))).to.equal(true);
  });

  it('rejects impossible dates, times, years and shapes', () => {
    for (const text of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-03-01T24:00', '2024-03-01T10:60', '2024-03-01T10:00:61',
      '0001-01-01', '2400-01-01', '2024-03-01X10:00', '2024-03-01T10', '2024-03-01T10:00:00+25:00', 'yesterday', '2024-3-1', '1/2/24x']) {
      const r = reader();
      expect(Number.isNaN(read(r, text)), text).to.equal(true);
    }
  });

  it('rejects two-digit years', () => {
    const r = reader();
    expect(Number.isNaN(read(r, '01/02/24'))).to.equal(true);
    expect(r.error).to.equal('two-digit-year');
  });

  it('reads slashed dates with an explicit order', () => {
    expect(new Date(read(reader('UTC', 'dmy'), '01/03/2024')).toISOString()).to.equal('2024-03-01T00:00:00.000Z');
    expect(new Date(read(reader('UTC', 'mdy'), '01/03/2024')).toISOString()).to.equal('2024-01-03T00:00:00.000Z');
    expect(new Date(read(reader('UTC', 'dmy'), '1.3.2024 9:05')).toISOString()).to.equal('2024-03-01T09:05:00.000Z');
    expect(new Date(read(reader('UTC', 'mdy'), '3/1/2024 9:05 PM')).toISOString()).to.equal('2024-03-01T21:05:00.000Z');
    expect(new Date(read(reader('UTC', 'mdy'), '3/1/2024 12:05 AM')).toISOString()).to.equal('2024-03-01T00:05:00.000Z');
    const r = reader('UTC', 'mdy');
    expect(Number.isNaN(read(r, '13/01/2024'))).to.equal(true);
    expect(r.detail).to.match(/MM\/DD\/YYYY/);
  });

  it('learns the order from a value over 12 and applies it to the whole column', () => {
    const r = reader();
    expect(read(r, '01/02/2024')).to.equal(DEFERRED);
    r.commitDeferred(0);
    expect(new Date(read(r, '13/02/2024')).toISOString()).to.equal('2024-02-13T00:00:00.000Z');
    // once the order is known, ambiguous values follow it at once
    expect(new Date(read(r, '03/04/2024')).toISOString()).to.equal('2024-04-03T00:00:00.000Z');
    const target = new Float64Array(1);
    r.resolve(target, 0, { table: 'orders', column: 'Date', source: 'x.csv' });
    expect(new Date(target[0]!).toISOString()).to.equal('2024-02-01T00:00:00.000Z');
  });

  it('fails an ambiguous column with two examples, and a mixed one', () => {
    const r = reader();
    expect(read(r, '01/02/2024')).to.equal(DEFERRED);
    r.commitDeferred(0);
    expect(read(r, '03/04/2024')).to.equal(DEFERRED);
    r.commitDeferred(1);
    let error: Record<string, unknown> = {};
    try {
      r.resolve(new Float64Array(2), 0, { table: 'orders', column: 'Datum', source: 'x.csv' });
    } catch (e) {
      error = e as Record<string, unknown>;
    }
    expect(error.code).to.equal('ambiguous-dates');
    expect(error.column).to.equal('Datum');
    expect(error.examples).to.deep.equal(['01/02/2024', '03/04/2024']);
    expect(String(error.message)).to.contain('"01/02/2024" and "03/04/2024"');
    expect(String(error.hint)).to.contain('DD/MM/YYYY');

    const mixed = reader();
    read(mixed, '13/01/2024');
    read(mixed, '01/13/2024');
    try {
      mixed.resolve(new Float64Array(0), 0, { table: 'orders', column: 'Datum', source: 'x.csv' });
      error = {};
    } catch (e) {
      error = e as Record<string, unknown>;
    }
    expect(error.code).to.equal('mixed-date-order');
    expect(error.examples).to.deep.equal(['13/01/2024', '01/13/2024']);
  });

  it('equals Date.UTC for any ISO timestamp (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const text = date.toISOString();
        expect(read(reader(), text)).to.equal(date.getTime());
        expect(read(reader(), text.replace('T', ' ').replace('Z', ''))).to.equal(date.getTime());
      }),
      { numRuns: 1000 },
    );
  });

  it('reads local times so that Intl formats them back to the same wall time (property)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }), (zone, date) => {
        const text = date.toISOString().slice(0, 19);
        const utc = read(reader(zone), text);
        const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utc));
        const get = (t: string): string => parts.find((p) => p.type === t)!.value;
        const wall = `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
        // the wall time round-trips, except inside a DST gap where it moves forward by the gap
        const zoneOf = TimeZone.get(zone);
        const gap = zoneOf.offsetAt(utc) - zoneOf.offsetAt(utc - 86_400_000);
        if (wall !== text) {
          expect(gap, `${zone} ${text} -> ${wall}`).to.be.greaterThan(0);
          expect(Date.parse(wall + 'Z') - Date.parse(text + 'Z')).to.equal(gap);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
