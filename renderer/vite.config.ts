import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = new URL('.', import.meta.url).pathname;

/**
 * The renderer build. Relative asset URLs, so the same build loads from `app://` under Electron and from
 * `flowscope serve`; no inline scripts or styles, so it runs under the strict CSP both hosts send.
 */
export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: new URL('../dist/renderer', import.meta.url).pathname,
    emptyOutDir: true,
    target: 'es2023',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    // One bundle of about 1.6 MB (CodeMirror and ECharts are most of it), read from disk under Electron or
    // from 127.0.0.1 by `flowscope serve`, never over a network, so splitting it would gain nothing. The
    // limit stays as a budget: past 2 MB the build says so again.
    chunkSizeWarningLimit: 2000,
  },
});
