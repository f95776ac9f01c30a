import { css } from 'lit';

export const revenueStyles = css`
  .kpis {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
    gap: 8px;
    margin: 0 0 14px;
    padding: 0;
    list-style: none;
  }
  .kpis + .note {
    margin: -6px 0 14px;
  }
  .kpi {
    padding: 8px 10px;
    background: var(--_surface);
    border-radius: 6px;
    min-width: 0;
  }
  .kpi .name {
    color: var(--_muted);
    font-size: 0.88em;
  }
  .kpi .value {
    display: block;
    font-size: 1.35em;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .kpi .change {
    display: block;
    font-size: 0.85em;
    color: var(--_muted);
  }
  .kpi .up {
    color: var(--_positive);
  }
  .kpi .down {
    color: var(--_negative);
  }
  .tabs {
    display: flex;
    gap: 4px;
    flex-wrap: wrap;
    margin-bottom: 8px;
  }
  @container (max-width: 420px) {
    .kpis {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
    .kpi .value {
      font-size: 1.15em;
    }
  }
`;
