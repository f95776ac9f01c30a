// The JS heap of a page's dedicated workers, through the DevTools protocol (Runtime.getHeapUsage on
// each worker target). Playwright gives a CDP session per page; workers are reached by auto-attaching
// to them and relaying messages (Target.sendMessageToTarget).
import type { Page } from 'playwright-core';

export interface WorkerHeap {
  url: string;
  /** JS heap in use plus ArrayBuffer backing stores (typed arrays live outside the JS heap). */
  usedBytes: number;
  /** Of which ArrayBuffer backing stores (0 when the browser does not report them). */
  backingBytes: number;
  totalBytes: number;
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  backingStorageSize?: number;
}

/** Starts watching `page`'s workers; returns a function that reads their heaps now. */
export async function watchWorkerHeaps(page: Page): Promise<() => Promise<WorkerHeap[]>> {
  const cdp = await page.context().newCDPSession(page);
  const workers = new Map<string, string>(); // sessionId → url
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (event: { sessionId: string; targetInfo: { type: string; url: string } }) => {
    if (event.targetInfo.type === 'worker') workers.set(event.sessionId, event.targetInfo.url);
  });
  cdp.on('Target.detachedFromTarget', (event: { sessionId: string }) => {
    workers.delete(event.sessionId);
  });
  cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: HeapUsage; error?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? null);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const ask = (sessionId: string, method: string): Promise<unknown> => {
    const id = nextId++;
    return new Promise<unknown>((resolve) => {
      pending.set(id, (result) => {
        pending.delete(id);
        resolve(result);
      });
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(() => resolve(null));
      setTimeout(() => resolve(null), 10000);
    });
  };
  return async () => {
    const out: WorkerHeap[] = [];
    for (const [sessionId, url] of workers) {
      // a full collection first: what the worker holds, not garbage that V8 has yet to collect
      await ask(sessionId, 'HeapProfiler.collectGarbage');
      const result = (await ask(sessionId, 'Runtime.getHeapUsage')) as HeapUsage | null;
      if (result !== null) {
        const backing = result.backingStorageSize ?? 0;
        out.push({ url, usedBytes: result.usedSize + backing, backingBytes: backing, totalBytes: result.totalSize + backing });
      }
    }
    return out;
  };
}
