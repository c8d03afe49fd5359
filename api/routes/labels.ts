import { Router } from 'express';
import { LABELS } from '../../i18n/labels';

/**
 * The labels of every code (i18n/labels.ts) as the ES module the dashboard imports, so the dashboard
 * and the server name codes from one table. Open: labels are not secrets.
 */
export function labelRoutes(): Router {
  const router = Router();
  const module = `/** Generated from i18n/labels.ts: names of the API's codes, [Chinese, English]. */
export const CODE_LABELS = ${JSON.stringify(LABELS, null, 1)};

/** Splits the pairs into one table per language for i18n.js. */
export function codeLabels(index) {
  return Object.fromEntries(Object.entries(CODE_LABELS).map(([key, pair]) => [key, pair[index]]));
}
`;
  router.get('/code-labels.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'no-cache').send(module);
  });
  return router;
}
