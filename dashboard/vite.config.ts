import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Served by `routerly serve` at /dashboard/. The build directory is chosen by the caller
// (CMake passes build/dashboard) so the bundle lands next to the binary.
export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: process.env.ROUTERLY_DASHBOARD_OUT ?? 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/v1': 'http://127.0.0.1:3000',
      '/health': 'http://127.0.0.1:3000',
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
