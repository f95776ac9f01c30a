// Touches that give test data last-touch ties and customers in both groups of a scope, shared by the
// oracle test and the Arquero peer's test.

/**
 * For every 25th touch (fields as the touches CSV: customer_id, channel, campaign, sent_at, opened_at,
 * clicked_at, group, cost), a twin at the same instant on the other channel: every other one in the
 * same campaign (so campaigns run on two channels), the rest in a campaign of their own; every 4th
 * twin in the other group, so its customer sits in both groups of a scope.
 */
export function channelTwins(rows: readonly string[][]): string[][] {
  return rows
    .filter((_, i) => i % 25 === 0)
    .map((r, i) => [r[0]!, r[1] === 'email' ? 'sms' : 'email', i % 2 === 1 ? r[2]! : `tie_${r[2]!}`, ...r.slice(3, 6), i % 4 === 0 ? (r[6] === 'holdout' ? 'treatment' : 'holdout') : r[6]!, r[7]!]);
}
