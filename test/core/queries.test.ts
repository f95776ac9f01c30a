import { expect } from '@open-wc/testing';
import { parseDuration } from '../../src/core/queries.js';
import { thrown } from '../support/harness.js';

describe('query parameters', () => {
  it('reads durations, and rejects ones that are not finite whether written as numbers or text', () => {
    expect(parseDuration('5d', 'window')).to.equal(5 * 86_400_000);
    expect(parseDuration(' 1.5 h ', 'window')).to.equal(5_400_000);
    expect(parseDuration(0, 'window')).to.equal(0);
    expect(thrown(() => parseDuration(Number.POSITIVE_INFINITY, 'window')).code).to.equal('bad-option');
    const endless = `1${'0'.repeat(310)}d`;
    const error = thrown(() => parseDuration(endless, 'window'));
    expect([error.code, error.message]).to.deep.equal(['bad-option', `window must be a duration such as "5d", "24h" or "30m", not "${endless}".`]);
  });
});
