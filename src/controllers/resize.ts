/**
 * The width of a widget, from a ResizeObserver on its host; the widget re-renders when it changes, so
 * charts lay themselves out for the container (down to 320 px), not the window.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ResizeController implements ReactiveController {
  /** Content width in CSS pixels (0 until the first observation). */
  width = 0;
  private readonly host: ReactiveControllerHost & Element;
  private observer: ResizeObserver | null = null;

  constructor(host: ReactiveControllerHost & Element) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.observer = new ResizeObserver((entries) => {
      const width = Math.round(entries[entries.length - 1]!.contentRect.width);
      if (width !== this.width) {
        this.width = width;
        this.host.requestUpdate();
      }
    });
    this.observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
  }
}
