import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // sso-admin-portal is linked from this repository (file:../..): its React import must find this app's React.
  resolve: { dedupe: ['react', 'react-dom'] },
});
