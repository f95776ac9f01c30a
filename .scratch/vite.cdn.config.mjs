import { defineConfig } from 'vite';
export default defineConfig({
  root: '/work/main',
  base: './',
  publicDir: false,
  logLevel: 'info',
  worker: { format: 'es', rollupOptions: { output: { entryFileNames: 'crm.worker.js' } } },
  build: {
    outDir: '/tmp/cdntest',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    modulePreload: false,
    rollupOptions: { input: { 'crm-widgets': '/work/main/src/index.ts' }, preserveEntrySignatures: 'exports-only', output: { entryFileNames: '[name].js', format: 'es' } },
  },
});
