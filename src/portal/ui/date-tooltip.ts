import { formatDateTime } from '../../core/format.js';

/**
 * A `<time datetime>` under the pointer gets its full date and time as its tooltip (`title`),
 * once: listen for `pointerover` on a shadow host. Dates are not formatted ahead: the first date
 * formatter costs tens of milliseconds (locale data), which no frame of the page should wait for.
 */
export function fullDateTooltip(event: Event): void {
  const time = event.composedPath()[0];
  if (time instanceof HTMLTimeElement && !time.title) time.title = formatDateTime(time.dateTime);
}
