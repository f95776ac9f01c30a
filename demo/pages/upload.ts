// Upload page: <crm-data upload> and the four widgets; the user's files never leave the tab.
import '../../src/index.js';
