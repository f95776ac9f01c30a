/**
 * One-element entry `crm-widgets/rfm`: defines `<crm-rfm>` alone, for a page that loads only the
 * elements it shows. The widget reads a `<crm-data>` (entry `crm-widgets/data`), a `summary-src` or a
 * `result`.
 */
import { CrmRfm } from '../components/crm-rfm/crm-rfm.js';
import { define } from '../components/shared/define.js';

export { CrmRfm };

define('crm-rfm', CrmRfm);
