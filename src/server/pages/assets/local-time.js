// Times in the reader's own time zone and language: every <time datetime="..."> of the page
// that the server wrote in UTC is rewritten with the browser's locale. The dashboard imports
// `localTime` for the times it renders itself.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO time, in the browser's locale and time zone (e.g. "4 Dec 2026, 23:05"). */
export function localTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : format.format(date);
}

/** A <time> element showing an ISO time locally (its `datetime` keeps the exact value). */
export function timeElement(iso) {
  const time = document.createElement('time');
  time.dateTime = iso;
  time.textContent = localTime(iso);
  return time;
}

for (const time of document.querySelectorAll('time[datetime]')) time.textContent = localTime(time.dateTime);
