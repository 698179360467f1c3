/**
 * Work that must not delay a frame: runs when the browser is idle after painting (at the latest
 * after `timeout` ms), or after a task where `requestIdleCallback` is missing (Safari).
 */
export function afterPaint(work: () => void, timeout = 500): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => work(), { timeout });
  else setTimeout(work, 0);
}
