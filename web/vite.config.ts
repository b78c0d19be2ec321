import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The console is served by the local platform (and CloudFront) at `/`, beside the API. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
