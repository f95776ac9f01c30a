import { expect } from '@open-wc/testing';
import { displayUrl, parseDateFormat, resolveDatasetOptions } from '../../src/core/options.js';
import { parseDuration } from '../../src/core/queries.js';

function fails(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error('expected a failure');
}

describe('dataset options', () => {
  it('fills defaults', () => {
    expect(resolveDatasetOptions()).to.deep.equal({ timezone: 'UTC', currency: null, rates: null, decimal: '.', dateOrder: 'auto', columns: {} });
  });

  it('reads date formats in the forms people write them', () => {
    expect(parseDateFormat('DD/MM/YYYY')).to.equal('dmy');
    expect(parseDateFormat('dd.mm.yyyy')).to.equal('dmy');
    expect(parseDateFormat('MM/DD/YYYY')).to.equal('mdy');
    expect(parseDateFormat('YYYY-MM-DD')).to.equal('auto');
    expect(fails(() => parseDateFormat('DD/YYYY')).code).to.equal('bad-option');
  });

  it('rejects bad currencies, rates, decimals and column mappings with hints', () => {
    expect(fails(() => resolveDatasetOptions({ currency: 'dollars' })).message).to.contain('not an ISO 4217 code');
    expect(fails(() => resolveDatasetOptions({ currency: 'USD', rates: { EUR: -1 } })).message).to.contain('not a positive number');
    expect(fails(() => resolveDatasetOptions({ rates: { EUR: 1.1 } })).message).to.contain('without a dataset currency');
    expect(fails(() => resolveDatasetOptions({ decimal: ';' as '.' })).code).to.equal('bad-option');
    expect(fails(() => resolveDatasetOptions({ columns: { sales: {} } as never })).message).to.contain('unknown table "sales"');
    expect(fails(() => resolveDatasetOptions({ columns: { orders: { amount: 'x' } } })).message).to.contain('unknown field "amount"');
  });

  it('reads durations, and rejects ones that are not finite whether written as numbers or text', () => {
    expect(parseDuration('5d', 'window')).to.equal(5 * 86_400_000);
    expect(parseDuration(' 1.5 h ', 'window')).to.equal(5_400_000);
    expect(parseDuration(0, 'window')).to.equal(0);
    expect(fails(() => parseDuration(Number.POSITIVE_INFINITY, 'window')).code).to.equal('bad-option');
    const endless = `1${'0'.repeat(310)}d`;
    expect(fails(() => parseDuration(endless, 'window')).message).to.contain('window must be a duration such as "5d"');
  });

  it('upper-cases the currency and adds it to its own rates', () => {
    expect(resolveDatasetOptions({ currency: 'usd', rates: { eur: 1.1 } }).rates).to.deep.equal({ EUR: 1.1, USD: 1 });
  });
});

describe('display URLs never carry credentials', () => {
  it('drops query strings, fragments and user info', () => {
    expect(displayUrl('https://user:pw@api.example.com/orders.csv?token=abc#x')).to.equal('https://api.example.com/orders.csv');
    expect(displayUrl('/api/orders?key=1', 'https://shop.example/')).to.equal('https://shop.example/api/orders');
    expect(displayUrl('blob:https://x/123')).to.equal('blob:');
  });
});
