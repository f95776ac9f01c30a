/**
 * Registering entry of the kit. The elements arrive with the widgets; today it re-exports the headless
 * engine so `import 'crm-widgets'` already gives a working data layer.
 */
export * from './engine.js';
