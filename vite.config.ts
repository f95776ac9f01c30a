import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The demo is the Vite root; it imports the kit from ../src through the public entries only.
export default defineConfig({
  root: `${root}demo`,
  publicDir: false,
  server: {
    port: 5173,
    strictPort: false,
    fs: { allow: [root] },
  },
  preview: { port: 4173 },
  worker: { format: 'es' },
  build: {
    outDir: `${root}dist-demo`,
    emptyOutDir: true,
    target: 'es2022',
  },
});
