/** Registers a custom element once: does nothing when the tag is already taken (two bundles on one page). */
export function defineElement(tag: string, element: CustomElementConstructor, registry: CustomElementRegistry = customElements): void {
  if (!registry.get(tag)) registry.define(tag, element);
}
