/**
 * One-element entry `crm-widgets/roas`: defines `<crm-roas>` alone, for a page that loads only the
 * elements it shows. The widget reads a `<crm-data>` (entry `crm-widgets/data`), a `summary-src` or a
 * `result`.
 */
import { CrmRoas } from '../components/crm-roas/crm-roas.js';
import { define } from '../components/shared/define.js';

export { CrmRoas };

define('crm-roas', CrmRoas);
