/** Provider logos: monograms drawn here, small enough for the provider list's first load. */

/** The white used for monogram letters; tests check its contrast with every fill. */
export const LOGO_INK = '#ffffff';

/**
 * A 32×32 rounded square in `fill` with a white monogram: readable at 32 px, on light and dark
 * pages alike (fills are chosen for at least 4.5:1 against white). Not a trademark copy.
 */
export function monogramLogo(fill: string, letters: string): string {
  const size = letters.length === 1 ? 18 : letters.length === 2 ? 14 : 11;
  const baseline = Math.round((16 + size * 0.36) * 10) / 10;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">` +
    `<rect width="32" height="32" rx="7" fill="${fill}"/>` +
    `<text x="16" y="${baseline}" fill="${LOGO_INK}" font-family="Arial,Helvetica,sans-serif" font-size="${size}" font-weight="700" text-anchor="middle">${letters}</text>` +
    `</svg>`
  );
}
