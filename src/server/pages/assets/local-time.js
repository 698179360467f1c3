// Shows every <time datetime="…" data-local-time> of the page in the browser's locale and time
// zone; without this script the server's text (the time in UTC, labelled so) stays.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });
for (const time of document.querySelectorAll('time[data-local-time]')) {
  const date = new Date(time.getAttribute('datetime') ?? '');
  if (!Number.isNaN(date.getTime())) {
    time.title = time.textContent ?? '';
    time.textContent = format.format(date);
  }
}
