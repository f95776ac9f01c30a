/** Parameter controls shared by the widgets: labelled selects and a date range. */
import { html, type TemplateResult } from 'lit';
import { MODEL_LABELS, windowLabel } from '../../core/labels.js';
import { CREDIT_MODELS, type CreditModel } from '../../core/queries.js';

/** The attribution windows the widgets offer. */
const WINDOWS = ['1d', '3d', '5d', '7d', '14d', '30d'];

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

/** The attribution window menu (a window a host set that is not on it is added). */
export function windowControl(value: string, onChange: (value: string) => void): TemplateResult {
  const windows = WINDOWS.includes(value) ? WINDOWS : [...WINDOWS, value];
  return selectControl('Window', value, windows.map((w): [string, string] => [w, windowLabel(w)]), onChange, 'window');
}

/** The credit model menu. */
export function modelControl(value: CreditModel, onChange: (value: CreditModel) => void): TemplateResult {
  return selectControl('Model', value, CREDIT_MODELS.map((m): [string, string] => [m, MODEL_LABELS[m]]), (v) => onChange(v as CreditModel), 'model');
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
