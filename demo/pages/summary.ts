// Warehouse-payload page: the widgets render `summary-src` payloads with no dataset and no worker.
import '../../src/index.js';
