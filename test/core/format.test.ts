import { expect } from '@open-wc/testing';
import { nameList } from '../../src/core/format.js';

describe('nameList', () => {
  it('lists the files being read as the English text around it does', () => {
    expect(nameList(['orders.csv'])).to.equal('orders.csv');
    expect(nameList(['orders.csv', 'touches.csv'])).to.equal('orders.csv and touches.csv');
    expect(nameList(['orders.csv', 'touches.csv', 'costs.csv'])).to.equal('orders.csv, touches.csv and costs.csv');
    expect(nameList(['a', 'b', 'c', 'd'])).to.equal('a, b, c and d');
  });
});
