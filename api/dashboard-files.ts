import path from 'node:path';
import type { Response } from 'express';
import { projectRoot } from '../lib/config';

/** Where `npm run build` puts the dashboard (web/, built by Vite). */
export const dashboardDir = path.join(projectRoot, 'dist', 'web');

/** Hashed assets never change under their name; the page that names them is always asked again. */
export function cacheDashboardFiles(res: Response, file: string): void {
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
}
