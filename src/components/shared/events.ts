/**
 * The kit's public events: prefixed, bubbling and composed (they cross shadow roots), fired for user
 * actions only (`crm-params-change`, `crm-select`) or for data the user is waiting for (`crm-load`,
 * `crm-error`) — never because a host set a property.
 */
import type { CrmError } from '../../core/errors.js';
import type { DatasetReport } from '../../core/report.js';

const options = { bubbles: true, composed: true } as const;

/**
 * Dispatches one of the kit's events from an element. (A function rather than `this.dispatchEvent`
 * in the elements, so the manifest analyzer takes the events' names from the `@fires` docs instead
 * of guessing them from constructor arguments.)
 */
export function fire(target: EventTarget, event: Event): void {
  target.dispatchEvent(event);
}

/** Data finished loading into a `<crm-data>`. */
export class CrmLoadEvent extends CustomEvent<{ report: DatasetReport }> {
  constructor(report: DatasetReport) {
    super('crm-load', { ...options, detail: { report } });
  }
}

/** A load or a query failed; the widget shows the error too. */
export class CrmErrorEvent extends CustomEvent<{ error: CrmError }> {
  constructor(error: CrmError) {
    super('crm-error', { ...options, detail: { error } });
  }
}

/** The user changed a parameter through a widget's controls. `params` are the widget's new parameters. */
export class CrmParamsChangeEvent extends CustomEvent<{ params: Record<string, unknown>; changed: string }> {
  constructor(params: Record<string, unknown>, changed: string) {
    super('crm-params-change', { ...options, detail: { params, changed } });
  }
}

/** What the user selected (an RFM cell or segment), with the way to get every matching customer id. */
export interface CrmSelectDetail {
  cell: { r: number; f: number } | null;
  segment: string | null;
  /** Customers matching the selection. */
  count: number;
  /** Every matching customer id (computed in the worker on demand). */
  customerIds: () => Promise<string[]>;
}

export class CrmSelectEvent extends CustomEvent<CrmSelectDetail> {
  constructor(detail: CrmSelectDetail) {
    super('crm-select', { ...options, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    'crm-load': CrmLoadEvent;
    'crm-error': CrmErrorEvent;
    'crm-params-change': CrmParamsChangeEvent;
    'crm-select': CrmSelectEvent;
  }
}
