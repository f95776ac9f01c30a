// JSON-endpoint page: one <crm-data> pointed at the example endpoints of `npm run serve:demo`
// (normal, slow, failing, token-protected) or at the same data as static files.
import '../../src/index.js';
import type { CrmData } from '../../src/index.js';

const TABLES = ['orders', 'touches', 'costs', 'customers'] as const;
const data = document.querySelector<CrmData>('crm-data')!;
const snippet = document.getElementById('snippet')!;

function use(source: string): void {
  const base = source === 'static' ? './data' : `./api/${source}`;
  // the token goes in a property: attributes end up in the DOM, logs and screenshots
  data.fetchOptions = source === 'auth' ? { headers: { authorization: 'Bearer demo-token' } } : undefined;
  for (const table of TABLES) data.setAttribute(table, `${base}/${table}.csv`);
  snippet.textContent =
    `<crm-data id="api" orders="${base}/orders.csv" touches="${base}/touches.csv"\n          costs="${base}/costs.csv" customers="${base}/customers.csv"></crm-data>` +
    (source === 'auth' ? `\n<script type="module">\n  document.getElementById('api').fetchOptions = { headers: { authorization: 'Bearer ' + token } };\n</script>` : '');
}

document.getElementById('sources')!.addEventListener('change', (event) => use((event.target as HTMLInputElement).value));
use('normal');
