import { css } from 'lit';
import { tokenStyles } from '../shared/tokens.styles.js';

export const crmDataStyles = css`
  ${tokenStyles}
  :host {
    display: contents;
  }
  .upload {
    display: block;
    font-family: var(--_font);
    font-size: var(--crm-font-size, 13px);
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border-strong);
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
    border: 2px dashed var(--_border-strong);
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
    border: 1px solid var(--_border-strong);
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
    border: 1px solid var(--_border-strong);
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
    border-bottom: 1px solid var(--_border-strong);
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
