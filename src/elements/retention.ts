/**
 * One-element entry `crm-widgets/retention`: defines `<crm-retention>` alone, for a page that loads only the
 * elements it shows. The widget reads a `<crm-data>` (entry `crm-widgets/data`), a `summary-src` or a
 * `result`.
 */
import { CrmRetention } from '../components/crm-retention/crm-retention.js';
import { define } from '../components/shared/define.js';

export { CrmRetention };

define('crm-retention', CrmRetention);
