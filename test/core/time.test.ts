import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { partialPeriods, periodStartDay } from '../../src/core/periods.js';
import { TimeZone, civilFromDays, daysFromCivil, formatIsoUtc, isValidDate, zoneName } from '../../src/core/time.js';

describe('calendar math', () => {
  it('agrees with Date.UTC for any day (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (days) => {
        const date = new Date(days * 86_400_000);
        const civil = civilFromDays(days);
        expect(civil).to.deep.equal({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
        expect(daysFromCivil(civil.year, civil.month, civil.day)).to.equal(days);
      }),
      { numRuns: 3000 },
    );
  });

  it('knows leap years and month lengths', () => {
    expect(isValidDate(2024, 2, 29)).to.equal(true);
    expect(isValidDate(2023, 2, 29)).to.equal(false);
    expect(isValidDate(1900, 2, 29)).to.equal(false);
    expect(isValidDate(2000, 2, 29)).to.equal(true);
    expect(isValidDate(2024, 4, 31)).to.equal(false);
  });

  it('formats ISO text', () => {
    expect(formatIsoUtc(Date.UTC(2024, 2, 1, 10, 5, 9))).to.equal('2024-03-01T10:05:09Z');
    expect(formatIsoUtc(Date.UTC(2024, 2, 1, 10, 5, 9, 7))).to.equal('2024-03-01T10:05:09.007Z');
  });
});

describe('time zones', () => {
  it('gives the same offsets as Intl, around transitions too (property)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'Africa/Casablanca'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }), (name, utc) => {
        const zone = TimeZone.get(name);
        const f = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
        const text = f.formatToParts(new Date(utc)).find((p) => p.type === 'timeZoneName')!.value; // GMT+05:30
        const m = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(text)!;
        const expected = m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000);
        expect(zone.offsetAt(utc), `${name} ${new Date(utc).toISOString()}`).to.equal(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('puts a day boundary where the zone has it', () => {
    const ny = TimeZone.get('America/New_York');
    expect(ny.dayOf(Date.UTC(2024, 0, 2, 4, 59))).to.equal(daysFromCivil(2024, 1, 1));
    expect(ny.dayOf(Date.UTC(2024, 0, 2, 5, 0))).to.equal(daysFromCivil(2024, 1, 2));
  });

  it('gives the day of many instants at once as dayOf gives each (daysOf)', () => {
    // around New York's spring-forward night, its midnight, and before 1970 (negative days)
    const instants = Float64Array.of(
      Date.UTC(2024, 2, 10, 4, 59),
      Date.UTC(2024, 2, 10, 5, 0),
      Date.UTC(2024, 2, 10, 6, 59),
      Date.UTC(2024, 2, 10, 7, 0),
      Date.UTC(2024, 2, 11, 3, 59),
      Date.UTC(2024, 2, 11, 4, 0),
      Date.UTC(1969, 11, 31, 23, 59),
    );
    for (const name of ['America/New_York', 'UTC']) {
      const zone = TimeZone.get(name);
      const days = new Int32Array(instants.length);
      zone.daysOf(instants, days);
      expect(Array.from(days), name).to.deep.equal(Array.from(instants, (t) => zone.dayOf(t)));
    }
    const ny = new Int32Array(instants.length);
    TimeZone.get('America/New_York').daysOf(instants, ny);
    expect(ny[4]).to.equal(daysFromCivil(2024, 3, 10));
    expect(ny[5]).to.equal(daysFromCivil(2024, 3, 11));
    const utc = new Int32Array(instants.length);
    TimeZone.get('UTC').daysOf(instants, utc);
    expect(utc[6]).to.equal(-1);
  });

  it('accepts UTC aliases and rejects unknown names with a hint', () => {
    expect(TimeZone.get(undefined).isUtc).to.equal(true);
    expect(TimeZone.get('Etc/UTC').name).to.equal('UTC');
    let error: Record<string, unknown> = {};
    try {
      TimeZone.get('Europe/Berln');
    } catch (e) {
      error = e as Record<string, unknown>;
    }
    expect(error.code).to.equal('bad-option');
    expect(error.message).to.equal('Unknown time zone "Europe/Berln".');
    expect(String(error.hint)).to.contain('IANA');
  });

  it('checks a name on the page as the worker does (zoneName against TimeZone.get)', () => {
    for (const name of [undefined, '', 'utc', 'GMT', 'Z', 'Etc/UTC', 'Europe/Berlin', 'america/new_york', 'Asia/Calcutta', 'Asia/Kathmandu']) {
      expect(zoneName(name), String(name)).to.equal(TimeZone.get(name).name);
    }
    expect(zoneName('america/new_york')).to.equal('America/New_York');
    expect(zoneName('Etc/UTC')).to.equal('UTC');
    expect(() => zoneName('Mars/Olympus')).to.throw('Unknown time zone "Mars/Olympus".');
  });
});

describe('periods the data or range cover in part', () => {
  const day = (text: string): number => daysFromCivil(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));

  it('marks a last month the data reaches only on its first day, and a first month the range starts inside', () => {
    // data through 2025-01-01 01:00 (its last day is not over): December complete, January not
    const november = 2024 * 12 + 10;
    expect(Array.from(partialPeriods(november, 3, 'month', 1, day('2023-01-01'), day('2025-01-01')))).to.deep.equal([0, 0, 1]);
    // data into 2025-01-01 and a range from 2024-11-15: November in part, December whole
    expect(Array.from(partialPeriods(november, 2, 'month', 1, day('2024-11-15'), day('2025-01-01')))).to.deep.equal([1, 0]);
    // data whose last day is 2024-12-31: that day is not over, so December is not complete yet
    expect(Array.from(partialPeriods(november, 2, 'month', 1, day('2024-11-01'), day('2024-12-31')))).to.deep.equal([0, 1]);
  });

  it('ends a week 7 days after its start, whatever weekday it starts on, and a quarter at its third month', () => {
    // Sunday weeks: 2024-12-29 to 2025-01-04
    const sunday = (text: string): number => (day(text) + 4 - 7) / 7; // a Sunday week's index
    expect(periodStartDay(sunday('2024-12-22'), 'week', 7)).to.equal(day('2024-12-22'));
    expect(Array.from(partialPeriods(sunday('2024-12-22'), 2, 'week', 7, day('2024-12-22'), day('2025-01-05')))).to.deep.equal([0, 0]);
    expect(Array.from(partialPeriods(sunday('2024-12-22'), 2, 'week', 7, day('2024-12-22'), day('2025-01-04')))).to.deep.equal([0, 1]);
    expect(Array.from(partialPeriods(2024 * 4 + 3, 1, 'quarter', 1, day('2024-10-01'), day('2025-01-01')))).to.deep.equal([0]);
    expect(Array.from(partialPeriods(2024 * 4 + 3, 1, 'quarter', 1, day('2024-10-01'), day('2024-12-31')))).to.deep.equal([1]);
    expect(Array.from(partialPeriods(day('2024-12-30'), 2, 'day', 1, day('2024-12-30'), day('2024-12-31')))).to.deep.equal([0, 1]);
  });
});
