import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dashboard: React with Ant Design, built into dist/web, which the API serves at `/`. `npm install`
 * (prepare) and `npm run build` build it; the test set-up rebuilds it when its sources are newer.
 */
export default defineConfig({
  root: __dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(__dirname, '../dist/web'),
    emptyOutDir: true,
    // Ant Design is most of the weight; kept in its own file so the dashboard's own code stays small.
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      output: {
        manualChunks: (id) => (id.includes('node_modules') ? 'vendor' : undefined),
      },
    },
  },
});
