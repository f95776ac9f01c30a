import { css } from 'lit';

/**
 * The kit's design tokens. Public ones (`--crm-*`) are read once on `:host` into private ones
 * (`--_*`); themes switch the defaults: `theme="light"`, `"dark"`, or `"auto"` (the default, following
 * `prefers-color-scheme`). `forced-colors` mode gets system colours. Every element's styles start with
 * these, so `<crm-data>` and the widgets look alike and a host themes them all the same way.
 */
const dark = css`
  --_bg: var(--crm-background, #15181e);
  --_surface: var(--crm-surface, #1e232b);
  --_text: var(--crm-text, #e8eaee);
  --_muted: var(--crm-muted, #a3abb8);
  --_border: var(--crm-border, #343a45);
  --_border-strong: var(--crm-border, #4a515d);
  --_grid: var(--crm-grid, #2c313a);
  --_accent: var(--crm-accent, #86a8f5);
  --_accent-text: var(--crm-accent-text, #0d1320);
  --_positive: var(--crm-positive, #5fcf98);
  --_negative: var(--crm-negative, #ff8a80);
  --_neutral: var(--crm-neutral, #59616d);
  --_seq-low: var(--crm-sequential-low, #1d2633);
  --_seq-high: var(--crm-sequential-high, #8fb2f7);
`;

export const tokenStyles = css`
  :host {
    --_font: var(--crm-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--crm-font-size, 13px);
    --_bg: var(--crm-background, #ffffff);
    --_surface: var(--crm-surface, #f6f7f9);
    --_text: var(--crm-text, #1f2430);
    --_muted: var(--crm-muted, #5b6472);
    --_border: var(--crm-border, #dfe3e8);
    /* borders that must stand out (the upload drop zone, inputs) */
    --_border-strong: var(--crm-border, #c9cfd8);
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
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  @media (forced-colors: active) {
    :host {
      --_bg: Canvas;
      --_surface: Canvas;
      --_text: CanvasText;
      --_muted: CanvasText;
      --_border: CanvasText;
      --_border-strong: CanvasText;
      --_grid: GrayText;
      --_accent: Highlight;
      --_accent-text: HighlightText;
    }
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
`;
