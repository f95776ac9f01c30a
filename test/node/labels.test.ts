// Words the widgets show for parameters: window menus and the footnotes' attribution phrase.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributionWords, windowLabel } from '../../src/core/labels.js';

test('window labels are singular for one unit and plural otherwise', () => {
  assert.deepEqual(['1d', '5d', '14d', '1h', '24h'].map(windowLabel), ['1 day', '5 days', '14 days', '1 hour', '24 hours']);
  // a value that is no duration is shown as the host wrote it, not pluralised
  assert.deepEqual(['soon', '5 days', ''].map(windowLabel), ['soon', '5 days', '']);
});

test('the attribution phrase names model, window and basis; a payload without a window leaves it out', () => {
  assert.equal(attributionWords('last_touch', '5d', 'send'), 'Last touch attribution, 5-day window, counted when sent');
  assert.equal(attributionWords('position_based', null, 'click'), 'Position based attribution, counted when clicked');
});
