// Applies an organization's accent colour (from `data-accent`, put there by the server) as
// `--sso-color-accent`, through the CSSOM: the pages allow no inline style attributes.
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Dark text on light accents, white on dark ones (WCAG relative luminance). */
function onAccent(hex) {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(full.slice(i, i + 2), 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.4 ? '#14161c' : '#ffffff';
}

for (const element of document.querySelectorAll('[data-accent]')) {
  const accent = element.getAttribute('data-accent') ?? '';
  if (!HEX.test(accent)) continue;
  element.style.setProperty('--sso-color-accent', accent);
  element.style.setProperty('--sso-color-on-accent', onAccent(accent));
  element.style.setProperty('--page-accent', accent);
  element.style.setProperty('--page-on-accent', onAccent(accent));
}
