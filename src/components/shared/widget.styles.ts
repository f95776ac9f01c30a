import { css } from 'lit';
import { tokenStyles } from './tokens.styles.js';

/** The look shared by every widget, on top of the kit's tokens (tokens.styles.ts). */
export const widgetStyles = css`
  ${tokenStyles}
  :host {
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
