/**
 * The host pages of the embedding tests: one dataset and the four widgets, the kit loaded from a
 * given URL (or several, to load it twice), nothing inline — so the same page works under the
 * strictest CSP the tests set.
 */

/** The data files of the page, by table (paths on the page's server). */
export type DataUrls = Record<'orders' | 'touches' | 'costs' | 'customers', string>;

export function hostPage(kitUrls: string[], data: DataUrls): string {
  const scripts = kitUrls.map((url) => `<script type="module" src="${url}"></script>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Host page</title>
    <script src="/probe.js"></script>
    ${scripts}
  </head>
  <body>
    <main>
      <h1>A host page</h1>
      <crm-data id="shop" orders="${data.orders}" touches="${data.touches}" costs="${data.costs}" customers="${data.customers}" timezone="Europe/Berlin" currency="EUR"></crm-data>
      <crm-revenue data="shop" locale="en-US"></crm-revenue>
      <crm-retention data="shop" locale="en-US"></crm-retention>
      <crm-rfm data="shop" locale="en-US"></crm-rfm>
      <crm-roas data="shop" locale="en-US"></crm-roas>
    </main>
  </body>
</html>
`;
}

/** What the page shows, read in the page: per widget, whether it is ready, and the numbers it shows. */
export interface WidgetReading {
  tag: string;
  ready: boolean;
  marks: number;
  text: string;
}

/** Runs in the page (serialised by the test driver): reads every widget on it, in document order. */
export function readWidgets(): WidgetReading[] {
  return [...document.querySelectorAll('crm-revenue, crm-retention, crm-rfm, crm-roas')].map((el) => {
    const root = el.shadowRoot;
    const footnote = root?.querySelector('[part~=footnote]')?.textContent ?? '';
    const busy = root?.querySelector('[aria-busy=true], [part~=state]') ?? null;
    const marks = root?.querySelectorAll('svg [data-nav-row]').length ?? 0;
    const text = (root?.querySelector('[part~=body]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
    return { tag: el.localName, ready: root !== null && busy === null && footnote !== '' && marks > 0, marks, text };
  });
}
