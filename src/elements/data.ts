/**
 * One-element entry `crm-widgets/data`: defines `<crm-data>` alone. With the widgets' own entries
 * (`crm-widgets/revenue`, `/retention`, `/rfm`, `/roas`), a page loads only the elements it shows.
 */
import { CrmData } from '../components/crm-data/crm-data.js';
import { define } from '../components/shared/define.js';

export { CrmData };

define('crm-data', CrmData);
