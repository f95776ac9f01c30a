/**
 * Defines a custom element unless the name is taken, so that two copies of the kit on one page (a host
 * bundle and a CDN script, or the full entry and a one-element entry) do not throw.
 */
export function define(name: string, element: CustomElementConstructor): void {
  if (customElements.get(name) === undefined) customElements.define(name, element);
}
