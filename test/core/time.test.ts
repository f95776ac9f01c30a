import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { TimeZone, civilFromDays, daysFromCivil, formatIsoUtc, isValidDate } from '../../src/core/time.js';

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
});
