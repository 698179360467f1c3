/**
 * `@xmldom/xmldom` in the CDN build (vite.config.ts aliases it here): the CDN files run in
 * browsers, which parse with their native `DOMParser` (`xml-dom.ts`), so xmldom is never loaded
 * there; leaving it out also keeps the bundler's CommonJS helpers out of the files every page
 * loads. In a context without `DOMParser` (a worker), reading XML fails with this message; the
 * npm package (`sso-admin-portal`) keeps xmldom for such places and for Node.
 */
export class DOMParser {
  constructor() {
    throw new Error('XML parsing needs the browser’s DOMParser, which this context lacks; use the npm package (it includes @xmldom/xmldom) here.');
  }
}
