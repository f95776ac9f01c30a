import fc from 'fast-check';
describe('dbg', () => {
  it('stats', () => {
    const BASE = Date.UTC(2024, 0, 1);
    const s = fc.sample(fc.integer({ min: 0, max: 20 * 24 * 60 }), 5);
    console.log(JSON.stringify(s), BASE);
  });
});
