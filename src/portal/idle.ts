/**
 * Work that must not delay a frame: runs when the browser is idle after painting (at the latest
 * after `timeout` ms), or after a task where `requestIdleCallback` is missing (Safari).
 */
export function afterPaint(work: () => void, timeout = 500): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => work(), { timeout });
  else setTimeout(work, 0);
}

/** Work for just after the next frame is painted (not waiting for idle time, which may be far off while a page loads). */
export function afterNextFrame(work: () => void): void {
  requestAnimationFrame(() => setTimeout(work, 0));
}
