import { expect } from '@open-wc/testing';
import { displayUrl, parseDateFormat, resolveDatasetOptions } from '../../src/core/options.js';

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
