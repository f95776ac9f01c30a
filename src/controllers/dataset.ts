/**
 * Connects a widget to its dataset: the `<crm-data>` named by the widget's `data` attribute (an id in
 * the same document or shadow root), or else the nearest enclosing `<crm-data>`. Re-renders the widget
 * whenever the dataset changes; waits for a `<crm-data>` that is defined or added later.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DatasetHandle } from '../client/dataset-model.js';

/** Fired on the document by a `<crm-data>` when it connects, so widgets that wait for it can find it. */
export const DATASET_CONNECTED = 'crm-dataset-connected';

/** An element that exposes a dataset (`<crm-data>`). */
export interface DatasetProvider extends Element {
  readonly datasetHandle: DatasetHandle;
}

function providerOf(element: Element | null): DatasetHandle | null {
  const handle = (element as Partial<DatasetProvider> | null)?.datasetHandle;
  return handle !== undefined ? handle : null;
}

export class DatasetController implements ReactiveController {
  /** The dataset, once found. */
  handle: DatasetHandle | null = null;
  private readonly host: ReactiveControllerHost & HTMLElement;
  private readonly id: () => string | null;
  private resolvedId: string | null | undefined = undefined;
  private unsubscribe: (() => void) | null = null;
  private readonly onConnected = (): void => this.resolve();

  constructor(host: ReactiveControllerHost & HTMLElement, id: () => string | null) {
    this.host = host;
    this.id = id;
    host.addController(this);
  }

  hostConnected(): void {
    // a <crm-data> that connects may be the one this widget waits for, or one in place of its own
    // (removed and put back, which gives it a new dataset, or another element with the same id)
    document.addEventListener(DATASET_CONNECTED, this.onConnected);
    this.resolve();
  }

  hostDisconnected(): void {
    document.removeEventListener(DATASET_CONNECTED, this.onConnected);
    this.attach(null);
    this.resolvedId = undefined;
  }

  hostUpdate(): void {
    if (this.id() !== this.resolvedId || this.handle === null) this.resolve();
  }

  /** Finds the dataset again (after the `data` attribute changed, or a `<crm-data>` appeared). */
  resolve(): void {
    if (!this.host.isConnected) return;
    const id = this.id();
    this.resolvedId = id;
    let element: Element | null = null;
    if (id !== null && id !== '') {
      const root = this.host.getRootNode() as Document | ShadowRoot;
      element = (typeof root.getElementById === 'function' ? root.getElementById(id) : null) ?? document.getElementById(id);
    } else {
      element = this.host.closest('crm-data');
    }
    // not there yet, or not upgraded yet: found again when a <crm-data> connects (an upgrade connects it)
    this.attach(providerOf(element));
  }

  private attach(handle: DatasetHandle | null): void {
    if (handle === this.handle) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.handle = handle;
    if (handle !== null) this.unsubscribe = handle.subscribe(() => this.host.requestUpdate());
    this.host.requestUpdate();
  }
}
