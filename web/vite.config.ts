import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Built files are served by `gengbao serve` from web/dist; in development `npm run dev` proxies the API.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: { outDir: 'dist', chunkSizeWarningLimit: 4000, assetsInlineLimit: 0 },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000', '/ogc': 'http://127.0.0.1:8000' },
  },
})
