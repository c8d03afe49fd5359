import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { cacheDashboardFiles, dashboardDir } from '../../api/dashboard-files';
import { previousPeriod, periodOf } from '../../lib/period';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/**
 * The app on 127.0.0.1 and a free port, with the dashboard's files at `/` in front of it, as
 * the API process serves them (express.static on dist/web before the API's catch-all 404).
 */
export async function listen(app: Express): Promise<Listening> {
  const outer = express();
  outer.use(express.static(dashboardDir, { setHeaders: cacheDashboardFiles }));
  outer.use(app);
  const server = outer.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: taken from the OS, then let go. */
export async function closedPort(): Promise<number> {
  const server = express().listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The month before this one in Shanghai: ended, so it can be closed. */
export const lastPeriod = (): string => previousPeriod(periodOf(new Date()));
