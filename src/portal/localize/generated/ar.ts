
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    import {html} from 'lit/html.js';
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'hdd394a82e4fb8d2f': html`تنتهي جلستك قريبًا، في <time datetime="${0}">${1}</time>.`,
's10b1f668a0003ae4': `احفظ ما تعمل عليه؛ بعد ذلك، سيطلب المنفذ رابطًا جديدًا.`,
's12d6dde9b30c3093': `إغلاق`,
's1b54cb962e541a7f': `تنتهي جلستك قريبًا.`,
    };
  