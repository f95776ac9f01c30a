/** Parameter controls shared by the widgets: labelled selects and a date range. */
import { html, type TemplateResult } from 'lit';

/** A labelled select; `onChange` gets the chosen value. */
export function selectControl(label: string, value: string, options: [string, string][], onChange: (value: string) => void, part = ''): TemplateResult {
  return html`<label part=${`control ${part}`.trim()}
    >${label}
    <select
      .value=${value}
      @change=${(event: Event) => onChange((event.target as HTMLSelectElement).value)}
    >
      ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
    </select></label
  >`;
}

/** From and to dates (local days); empty means open. */
export function rangeControl(from: string | null, to: string | null, onChange: (from: string | null, to: string | null) => void): TemplateResult {
  const read = (event: Event): string | null => (event.target as HTMLInputElement).value || null;
  return html`<label part="control range-from"
      >From <input type="date" .value=${from ?? ''} @change=${(e: Event) => onChange(read(e), to)} /></label
    ><label part="control range-to">To <input type="date" .value=${to ?? ''} @change=${(e: Event) => onChange(from, read(e))} /></label>`;
}

/** Tabs between the views of a widget. */
export function tabs(label: string, value: string, options: [string, string][], onChange: (value: string) => void): TemplateResult {
  return html`<div class="tabs" role="group" aria-label=${label} part="tabs">
    ${options.map(([v, text]) => html`<button aria-pressed=${v === value ? 'true' : 'false'} @click=${() => onChange(v)}>${text}</button>`)}
  </div>`;
}

/** A legend: a swatch and a name per series (names are text, truncated with the full name as a title). */
export function legend(label: string, items: { label: string; color: string }[]): TemplateResult {
  return html`<ul class="legend" part="legend" aria-label=${label}>
    ${items.map((s) => html`<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill=${s.color}></rect></svg><span class="name" title=${s.label}>${s.label}</span></li>`)}
  </ul>`;
}
