
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    import {html} from 'lit/html.js';
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'hdd394a82e4fb8d2f': html`Su sesión termina pronto, a las <time datetime="${0}">${1}</time>.`,
's10b1f668a0003ae4': `Guarde lo que está haciendo; después, el portal pedirá un enlace nuevo.`,
's12d6dde9b30c3093': `Cerrar`,
's1b54cb962e541a7f': `Su sesión termina pronto.`,
    };
  