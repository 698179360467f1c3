// Types of chromium.mjs, for the TypeScript tests that start Chromium.
export const chromiumPath: string;
export const chromiumArgs: string[];
export function hasChromium(): boolean;
