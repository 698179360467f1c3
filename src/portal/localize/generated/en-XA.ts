
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    import {html} from 'lit/html.js';
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'hdd394a82e4fb8d2f': html`[Ýöûŕ šéššîöñ éñđš šööñ, åţ <time datetime="${0}">${1}</time>. ·········]`,
's10b1f668a0003ae4': `[Šåṽé ŵĥåţ ýöû åŕé ŵöŕķîñĝ öñ; åƒţéŕ ţĥåţ, ţĥé þöŕţåļ åšķš ƒöŕ å ñéŵ ļîñķ. ······················]`,
's12d6dde9b30c3093': `[Đîšɱîšš ···]`,
's1b54cb962e541a7f': `[Ýöûŕ šéššîöñ éñđš šööñ. ·······]`,
    };
  