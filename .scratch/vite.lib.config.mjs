import { defineConfig } from 'vite';
export default defineConfig({
  
  root: '/work/main',
  publicDir: false,
  logLevel: 'info',
  worker: { format: 'es', rollupOptions: { output: { entryFileNames: 'crm.worker.js' } } },
  build: {
    outDir: '/tmp/libtest',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: { entry: { 'crm-widgets': '/work/main/src/index.ts' }, formats: ['es'] },
    rollupOptions: { output: { entryFileNames: '[name].js' } },
  },
});
