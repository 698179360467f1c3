// Applies an organization's accent colour (from `data-accent`, put there by the server) as
// `--sso-color-accent`, through the CSSOM: the pages allow no inline style attributes. The dark
// scheme gets a lighter shade of it where the accent is too dark to read on a dark background.
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
/** The portal's dark background (`--sso-color-bg`, tokens.ts). */
const DARK_BG = [0x11, 0x13, 0x18];

const channels = (hex) => {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  return [1, 3, 5].map((i) => parseInt(full.slice(i, i + 2), 16));
};
const toHex = (rgb) => `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance. */
function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

const DARK_TEXT = [0x14, 0x16, 0x1c];
const WHITE = [255, 255, 255];

/** Dark text or white on the accent, whichever contrasts more. */
const onAccent = (rgb) => (contrast(rgb, DARK_TEXT) > contrast(rgb, WHITE) ? '#14161c' : '#ffffff');

/** The accent mixed with white until it reads on the dark background and dark text reads on it (4.5:1). */
function darkShade(rgb) {
  let shade = rgb;
  for (let t = 0; (contrast(shade, DARK_BG) < 4.5 || contrast(shade, DARK_TEXT) < 4.5) && t <= 1; t += 0.05) shade = rgb.map((c) => c + (255 - c) * t);
  return shade;
}

for (const element of document.querySelectorAll('[data-accent]')) {
  const accent = element.getAttribute('data-accent') ?? '';
  if (!HEX.test(accent)) continue;
  const rgb = channels(accent);
  const dark = darkShade(rgb);
  element.style.setProperty('--sso-color-accent', `light-dark(${accent}, ${toHex(dark)})`);
  element.style.setProperty('--sso-color-on-accent', `light-dark(${onAccent(rgb)}, ${onAccent(dark)})`);
  // The page header is the accent itself, in both schemes.
  element.style.setProperty('--page-accent', accent);
  element.style.setProperty('--page-on-accent', onAccent(rgb));
}
