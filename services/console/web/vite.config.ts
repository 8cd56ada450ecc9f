import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built by `npm run build` (scripts/build-web.js) into dist/, served by the console service.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022', chunkSizeWarningLimit: 400 },
  server: { proxy: { '/api': 'http://127.0.0.1:3006', '/auth': 'http://127.0.0.1:3006' } },
});
