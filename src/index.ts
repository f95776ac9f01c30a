/**
 * Registering entry of the kit: defines `<crm-data>`, `<crm-revenue>`, `<crm-retention>`, `<crm-rfm>`
 * and `<crm-roas>`, and re-exports the headless engine and the element classes. Definitions are
 * guarded, so two copies of the kit on one page (a host bundle and a CDN script) do not throw. A page
 * that shows fewer widgets can import the one-element entries (`src/elements/`) instead.
 *
 * It defines the elements itself rather than importing those entries: the library build would then move
 * each `define` into a shared chunk, which `sideEffects` in package.json does not list, and a host's
 * bundler would drop the definitions of `crm-widgets/revenue` and the others.
 */
import { CrmData } from './components/crm-data/crm-data.js';
import { CrmRetention } from './components/crm-retention/crm-retention.js';
import { CrmRevenue } from './components/crm-revenue/crm-revenue.js';
import { CrmRfm } from './components/crm-rfm/crm-rfm.js';
import { CrmRoas } from './components/crm-roas/crm-roas.js';
import { define } from './components/shared/define.js';

export * from './engine.js';
export { CrmData, CrmRetention, CrmRevenue, CrmRfm, CrmRoas };
export { CrmErrorEvent, CrmLoadEvent, CrmParamsChangeEvent, CrmSelectEvent, type CrmSelectDetail } from './components/shared/events.js';

define('crm-data', CrmData);
define('crm-revenue', CrmRevenue);
define('crm-retention', CrmRetention);
define('crm-rfm', CrmRfm);
define('crm-roas', CrmRoas);
