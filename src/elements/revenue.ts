/**
 * One-element entry `crm-widgets/revenue`: defines `<crm-revenue>` alone, for a page that loads only the
 * elements it shows. The widget reads a `<crm-data>` (entry `crm-widgets/data`), a `summary-src` or a
 * `result`.
 */
import { CrmRevenue } from '../components/crm-revenue/crm-revenue.js';
import { define } from '../components/shared/define.js';

export { CrmRevenue };

define('crm-revenue', CrmRevenue);
