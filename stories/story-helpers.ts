/** What the stories share: the theme/width controls, and waiting for parts inside shadow roots. */

export interface ThemeArgs {
  theme: 'light' | 'dark' | 'auto';
  width: string;
}

/** Storybook controls for the colour scheme and the width the portal gets. */
export function themeControls(widest: string) {
  return {
    args: { theme: 'light' as const, width: widest },
    argTypes: {
      theme: { control: 'inline-radio' as const, options: ['light', 'dark', 'auto'] },
      width: { control: 'inline-radio' as const, options: ['320px', '480px', widest] },
    },
  };
}

/** Waits for `path`, one selector per nested shadow root, under `root`. */
export async function find<T extends Element>(root: Element, path: string[], timeout = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    let node: Element | ShadowRoot | null | undefined = root;
    for (const selector of path) node = (node instanceof Element ? (node.shadowRoot ?? node) : node)?.querySelector(selector);
    if (node instanceof Element) return node as T;
    if (Date.now() - started > timeout) throw new Error(`not found: ${path.join(' >>> ')}`);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/**
 * The button labelled `label` under `root` (pass the label through `msg`, so that a story works in
 * every language: `press(el, path, msg('Read XML'))`).
 */
export function buttonLabelled(root: ParentNode, label: string): HTMLButtonElement {
  const button = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === label);
  if (!button) throw new Error(`no button "${label}"`);
  return button;
}

/** Clicks the button labelled `label` (see {@link buttonLabelled}) in the shadow root of the element at `path`. */
export async function press(root: Element, path: string[], label: string): Promise<void> {
  const host = await find<HTMLElement & { updateComplete?: Promise<unknown> }>(root, path);
  await host.updateComplete;
  buttonLabelled(host.shadowRoot!, label).click();
}
