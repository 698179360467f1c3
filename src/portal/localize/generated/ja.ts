
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    import {html} from 'lit/html.js';
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'hdd394a82e4fb8d2f': html`セッションはまもなく <time datetime="${0}">${1}</time> に終了します。`,
's10b1f668a0003ae4': `作業中の内容を保存してください。その後、ポータルは新しいリンクを求めます。`,
's12d6dde9b30c3093': `閉じる`,
's1b54cb962e541a7f': `セッションはまもなく終了します。`,
    };
  