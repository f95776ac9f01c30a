/**
 * Money sums that cancel. Doubles leave binary residue where amounts cancel (1.10 + 2.20 − 3.30 is
 * 4.4e-16, 0.10 + 0.20 − 0.30 is 5.6e-17), which would make an order a purchase or a cost a positive
 * spend with a ROAS of 10^18. A sum counts as 0 when its size is at most a billionth of the sum of its
 * amounts' absolute values (`size`): an order's net of its lines, and every sum of costs (metrics.md,
 * sections 1 and 7; `crm_net` in the SQL pack).
 */
export function net(sum: number, size: number): number {
  return Math.abs(sum) <= 1e-9 * size ? 0 : sum;
}
