import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the dashboard into `dist/dashboard`, which `flotilla serve` serves at `/`. Run from the package
 * root as `vite build dashboard --config dashboard/vite.config.ts` (the `dashboard` argument is the
 * root, so this file needs no Node path APIs and type-checks with the browser's libraries).
 */
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    // The server's CSP allows no inline script; keep every module a file.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
});
