import { css } from 'lit';

/**
 * The look shared by every widget. Public tokens (`--crm-*`) are read once on `:host` into private
 * ones (`--_*`); themes switch the defaults: `theme="light"`, `"dark"`, or `"auto"` (the default,
 * following `prefers-color-scheme`). `forced-colors` mode gets system colours.
 */
export const widgetStyles = css`
  :host {
    --_font: var(--crm-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--crm-font-size, 13px);
    --_bg: var(--crm-background, #ffffff);
    --_surface: var(--crm-surface, #f6f7f9);
    --_text: var(--crm-text, #1f2430);
    --_muted: var(--crm-muted, #5b6472);
    --_border: var(--crm-border, #dfe3e8);
    --_grid: var(--crm-grid, #e6e9ee);
    --_accent: var(--crm-accent, #2f5fd0);
    --_accent-text: var(--crm-accent-text, #ffffff);
    --_positive: var(--crm-positive, #1f7a4d);
    --_negative: var(--crm-negative, #b3261e);
    --_neutral: var(--crm-neutral, #b8bfca);
    --_seq-low: var(--crm-sequential-low, #eef3fc);
    --_seq-high: var(--crm-sequential-high, #1f4fa8);
    --_radius: var(--crm-radius, 8px);
    --_s1: var(--crm-series-1, #4269d0);
    --_s2: var(--crm-series-2, #efb118);
    --_s3: var(--crm-series-3, #ff725c);
    --_s4: var(--crm-series-4, #6cc5b0);
    --_s5: var(--crm-series-5, #3ca951);
    --_s6: var(--crm-series-6, #ff8ab7);
    --_s7: var(--crm-series-7, #a463f2);
    --_s8: var(--crm-series-8, #97bbf5);
    --_s9: var(--crm-series-9, #9c6b4e);
    --_s10: var(--crm-series-10, #9498a0);
    display: block;
    box-sizing: border-box;
    min-width: 0;
    container-type: inline-size;
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.4;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 16px;
  }
  :host([theme='dark']) {
    --_bg: var(--crm-background, #15181e);
    --_surface: var(--crm-surface, #1e232b);
    --_text: var(--crm-text, #e8eaee);
    --_muted: var(--crm-muted, #a3abb8);
    --_border: var(--crm-border, #343a45);
    --_grid: var(--crm-grid, #2c313a);
    --_accent: var(--crm-accent, #86a8f5);
    --_accent-text: var(--crm-accent-text, #0d1320);
    --_positive: var(--crm-positive, #5fcf98);
    --_negative: var(--crm-negative, #ff8a80);
    --_neutral: var(--crm-neutral, #59616d);
    --_seq-low: var(--crm-sequential-low, #1d2633);
    --_seq-high: var(--crm-sequential-high, #8fb2f7);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_bg: var(--crm-background, #15181e);
      --_surface: var(--crm-surface, #1e232b);
      --_text: var(--crm-text, #e8eaee);
      --_muted: var(--crm-muted, #a3abb8);
      --_border: var(--crm-border, #343a45);
      --_grid: var(--crm-grid, #2c313a);
      --_accent: var(--crm-accent, #86a8f5);
      --_accent-text: var(--crm-accent-text, #0d1320);
      --_positive: var(--crm-positive, #5fcf98);
      --_negative: var(--crm-negative, #ff8a80);
      --_neutral: var(--crm-neutral, #59616d);
      --_seq-low: var(--crm-sequential-low, #1d2633);
      --_seq-high: var(--crm-sequential-high, #8fb2f7);
    }
  }
  @media (forced-colors: active) {
    :host {
      --_bg: Canvas;
      --_surface: Canvas;
      --_text: CanvasText;
      --_muted: CanvasText;
      --_border: CanvasText;
      --_grid: GrayText;
      --_accent: Highlight;
      --_accent-text: HighlightText;
    }
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 8px 16px;
    margin-bottom: 12px;
  }
  h2 {
    font-size: 1.15em;
    font-weight: 600;
    margin: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  fieldset.controls {
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 10px;
    align-items: center;
  }
  .more {
    flex-basis: 100%;
  }
  .more summary {
    cursor: pointer;
    color: var(--_muted);
  }
  .more .controls {
    margin-top: 6px;
  }
  .controls label {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    color: var(--_muted);
    font-size: 0.92em;
  }
  select,
  input,
  button {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 3px 8px;
    min-height: 28px;
  }
  select {
    max-width: min(100%, 260px);
  }
  .controls label {
    max-width: 100%;
    min-width: 0;
  }
  input[type='date'] {
    padding: 2px 4px;
  }
  input[type='checkbox'] {
    min-height: auto;
  }
  button {
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  button[aria-pressed='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .body {
    position: relative;
    min-height: 120px;
  }
  .busy {
    position: absolute;
    inset: 0 0 auto 0;
    height: 3px;
    background: linear-gradient(90deg, transparent, var(--_accent), transparent);
    background-size: 40% 100%;
    background-repeat: no-repeat;
    animation: slide 1.2s linear infinite;
  }
  @keyframes slide {
    from {
      background-position: -40% 0;
    }
    to {
      background-position: 140% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .busy {
      animation: none;
      background: var(--_accent);
      opacity: 0.5;
    }
  }
  .state {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 8px;
    padding: 24px 8px;
  }
  .state p {
    margin: 0;
    max-width: 60ch;
  }
  .state .what {
    font-weight: 600;
  }
  .state .where,
  .state .detail {
    color: var(--_muted);
  }
  .state progress {
    width: min(100%, 360px);
    accent-color: var(--_accent);
  }
  .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
  }
  .footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 8px;
    margin-top: 12px;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .footnote {
    margin: 0;
    flex: 1 1 260px;
  }
  .exports {
    display: flex;
    gap: 4px;
    flex-wrap: wrap;
  }
  .exports button {
    font-size: 0.92em;
    min-height: 24px;
    padding: 1px 8px;
  }
  .chart {
    position: relative;
  }
  svg {
    display: block;
    max-width: 100%;
    overflow: visible;
  }
  svg [tabindex]:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .tooltip {
    position: absolute;
    z-index: 2;
    pointer-events: none;
    min-width: 140px;
    max-width: min(300px, 90%);
    padding: 8px 10px;
    background: var(--_bg);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: 6px;
    box-shadow: 0 4px 14px rgb(0 0 0 / 18%);
    font-size: 0.92em;
  }
  .tip-title {
    font-weight: 600;
    margin-bottom: 4px;
    overflow-wrap: anywhere;
  }
  .tip-row {
    display: grid;
    grid-template-columns: 10px 1fr auto;
    gap: 6px;
    align-items: center;
  }
  .tip-label {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .tip-value {
    font-variant-numeric: tabular-nums;
    text-align: right;
  }
  .tip-strong {
    font-weight: 600;
  }
  .tip-key {
    width: 10px;
    height: 10px;
    border-radius: 2px;
  }
  .tip-note {
    margin-top: 4px;
    color: var(--_muted);
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 14px;
    margin: 8px 0 0;
    padding: 0;
    list-style: none;
    font-size: 0.92em;
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    max-width: 100%;
    min-width: 0;
  }
  .legend .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .swatch {
    flex: none;
    width: 12px;
    height: 12px;
    border-radius: 3px;
  }
  .table-wrap {
    overflow-x: auto;
    max-height: 420px;
    overflow-y: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  caption {
    text-align: left;
    color: var(--_muted);
    padding-bottom: 6px;
  }
  th,
  td {
    padding: 4px 8px;
    border-bottom: 1px solid var(--_grid);
    text-align: right;
    white-space: nowrap;
  }
  th:first-child,
  td:first-child {
    text-align: left;
    max-width: 240px;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  thead th {
    position: sticky;
    top: 0;
    background: var(--_bg);
    color: var(--_muted);
    font-weight: 600;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .note {
    color: var(--_muted);
    font-size: 0.9em;
    margin: 6px 0 0;
  }
`;
