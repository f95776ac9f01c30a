import { css } from 'lit';

export const crmDataStyles = css`
  :host {
    display: contents;
    --_font: var(--crm-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_bg: var(--crm-background, #ffffff);
    --_surface: var(--crm-surface, #f6f7f9);
    --_text: var(--crm-text, #1f2430);
    --_muted: var(--crm-muted, #5b6472);
    --_border: var(--crm-border, #c9cfd8);
    --_accent: var(--crm-accent, #2f5fd0);
    --_accent-text: var(--crm-accent-text, #ffffff);
    --_negative: var(--crm-negative, #b3261e);
    --_radius: var(--crm-radius, 8px);
  }
  :host([theme='dark']) {
    --_bg: var(--crm-background, #15181e);
    --_surface: var(--crm-surface, #1e232b);
    --_text: var(--crm-text, #e8eaee);
    --_muted: var(--crm-muted, #a3abb8);
    --_border: var(--crm-border, #4a515d);
    --_accent: var(--crm-accent, #86a8f5);
    --_accent-text: var(--crm-accent-text, #0d1320);
    --_negative: var(--crm-negative, #ff8a80);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_bg: var(--crm-background, #15181e);
      --_surface: var(--crm-surface, #1e232b);
      --_text: var(--crm-text, #e8eaee);
      --_muted: var(--crm-muted, #a3abb8);
      --_border: var(--crm-border, #4a515d);
      --_accent: var(--crm-accent, #86a8f5);
      --_accent-text: var(--crm-accent-text, #0d1320);
      --_negative: var(--crm-negative, #ff8a80);
    }
  }
  .upload {
    display: block;
    font-family: var(--_font);
    font-size: var(--crm-font-size, 13px);
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 16px;
    margin-bottom: 16px;
  }
  .zone {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 16px;
    padding: 18px;
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .zone.over {
    border-color: var(--_accent);
  }
  .zone p {
    margin: 0;
    flex: 1 1 240px;
  }
  button {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 4px 10px;
    min-height: 30px;
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .status {
    margin: 12px 0 0;
  }
  .status progress {
    width: min(100%, 360px);
    accent-color: var(--_accent);
  }
  .muted {
    color: var(--_muted);
  }
  .error {
    color: var(--_negative);
    font-weight: 600;
  }
  .tables {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
    gap: 8px;
    margin: 12px 0 0;
    padding: 0;
    list-style: none;
  }
  .tables li {
    padding: 8px 10px;
    border: 1px solid var(--_border);
    border-radius: 6px;
    min-width: 0;
  }
  .tables strong {
    display: block;
  }
  .tables .source {
    color: var(--_muted);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  details {
    margin-top: 10px;
  }
  summary {
    cursor: pointer;
  }
  table {
    border-collapse: collapse;
    margin-top: 6px;
    width: 100%;
    font-size: 0.92em;
  }
  .rejections {
    overflow-x: auto;
  }
  th,
  td {
    text-align: left;
    padding: 3px 8px;
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
  }
  td.value {
    max-width: 200px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-family: ui-monospace, monospace;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
