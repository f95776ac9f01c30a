// Theming page: custom properties and parts are plain CSS (demo.css); the kit needs nothing else.
import '../../src/index.js';
