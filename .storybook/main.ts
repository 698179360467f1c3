import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // The project's vite.config.ts builds the library; Storybook needs none of that.
  viteFinal: (config) => {
    if (config.build) delete config.build.lib;
    return config;
  },
};

export default config;
