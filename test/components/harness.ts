/**
 * Test harness of the widgets: a small hand-computable dataset, mounting helpers, and user-level
 * actions (choose in a control, focus a mark, press keys) so selectors live in one place.
 */
import { fixtureSync, html, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { CrmData } from '../../src/index.js';

/**
 * Six orders, last-touch 5-day credit: a's 100 (Jan) and 80 (Feb) to email, b's 50 to sms, c's 40 is
 * non-CRM (c is in the holdout), b's −10 is a refund, d's 60 goes to a channel whose name is markup.
 * Net revenue 320, CRM revenue 290.
 */
export const ORDERS = [
  'order_id,customer_id,ordered_at,revenue',
  'o1,a,2024-01-10T10:00:00Z,100',
  'o2,b,2024-01-12T10:00:00Z,50',
  'o3,a,2024-02-03T10:00:00Z,80',
  'o4,c,2024-02-10T10:00:00Z,40',
  'o5,b,2024-02-20T10:00:00Z,-10',
  'o6,d,2024-03-05T10:00:00Z,60',
].join('\n');
export const MARKUP = '<img src=x onerror=alert(1)>';
export const TOUCHES = [
  'customer_id,channel,campaign,sent_at,group,cost',
  'a,email,Welcome,2024-01-09T10:00:00Z,treatment,',
  'b,sms,"Flash <b>sale</b>",2024-01-11T10:00:00Z,treatment,0.5',
  'a,email,Winback,2024-02-01T10:00:00Z,treatment,',
  'c,email,Winback,2024-02-09T10:00:00Z,holdout,',
  `d,${MARKUP},Promo,2024-03-04T10:00:00Z,treatment,`,
].join('\n');
export const COSTS = ['date,channel,campaign,amount', '2024-01-09,email,Welcome,20', '2024-02-01,email,Winback,10', '2024-01-11,sms,,5'].join('\n');
export const CUSTOMERS = ['customer_id,country', 'a,DE', 'b,FR', 'c,DE', 'd,US'].join('\n');

/** The test data as files; `orders` replaces the orders' text. */
export function files(orders = ORDERS): Record<'orders' | 'touches' | 'costs' | 'customers', File> {
  return {
    orders: new File([orders], 'orders.csv', { type: 'text/csv' }),
    touches: new File([TOUCHES], 'touches.csv', { type: 'text/csv' }),
    costs: new File([COSTS], 'costs.csv', { type: 'text/csv' }),
    customers: new File([CUSTOMERS], 'customers.csv', { type: 'text/csv' }),
  };
}

let ids = 0;

/** A `<crm-data>` with the test data loaded (other `orders`, when given) and a widget pointing at it. */
export async function mount<T extends HTMLElement>(tag: string, attributes: Record<string, string> = {}, orders = ORDERS): Promise<{ widget: T; data: CrmData }> {
  const id = `data-${++ids}`;
  const wrapper = fixtureSync<HTMLDivElement>(html`<div style="width: 800px"><crm-data id=${id} currency="EUR"></crm-data></div>`);
  const data = wrapper.querySelector('crm-data')!;
  const widget = document.createElement(tag) as T;
  widget.setAttribute('data', id);
  widget.setAttribute('locale', 'en-US');
  for (const [k, v] of Object.entries(attributes)) widget.setAttribute(k, v);
  wrapper.appendChild(widget);
  await data.load(files(orders));
  await ready(widget);
  return { widget, data };
}

/** The widget's shadow root. */
export function root(widget: HTMLElement): ShadowRoot {
  return widget.shadowRoot!;
}

/** Waits until the widget shows its results (footer present, nothing pending). */
export async function ready(widget: HTMLElement, timeout = 20_000): Promise<void> {
  await waitUntil(() => root(widget)?.querySelector('.footer') !== null && root(widget).querySelector('[aria-busy=true]') === null, 'the widget did not get ready', { timeout });
}

/** Waits until the widget is in a state (`[part~=state][part~=<name>]`). */
export async function inState(widget: HTMLElement, name: 'empty' | 'loading' | 'error', timeout = 20_000): Promise<HTMLElement> {
  await waitUntil(() => root(widget)?.querySelector(`[part~=state][part~=${name}]`) !== null, `the widget never showed the ${name} state`, { timeout });
  return root(widget).querySelector<HTMLElement>(`[part~=state][part~=${name}]`)!;
}

/** Chooses `value` in the select of the control part `part`, as a user would. */
export function choose(widget: HTMLElement, part: string, value: string): void {
  const select = root(widget).querySelector<HTMLSelectElement>(`[part~=control][part~=${part}] select`);
  if (select === null) throw new Error(`no control ${part}`);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** The chart's marks (bars, points, cells) in document order. */
export function marks(widget: HTMLElement): (SVGElement & HTMLOrSVGElement)[] {
  return [...root(widget).querySelectorAll<SVGElement>('svg.plot [data-nav-row]')];
}

/** The element focused inside the widget. */
export function focused(widget: HTMLElement): Element | null {
  return root(widget).activeElement;
}

/** Presses a key on the focused mark (the keyboard controller listens on the widget). */
export function press(widget: HTMLElement, key: string): void {
  const target = focused(widget) ?? widget;
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
}

/** Text of the KPI tile named `name`. */
export function kpi(widget: HTMLElement, name: string): string {
  const tile = [...root(widget).querySelectorAll('.kpi')].find((t) => t.querySelector('.name')?.textContent === name);
  return tile?.querySelector('.value')?.textContent ?? '';
}

/** Records the events of a type fired by a widget. */
export function record<T extends Event>(widget: HTMLElement, type: string): T[] {
  const events: T[] = [];
  widget.addEventListener(type, (event) => events.push(event as T));
  return events;
}
