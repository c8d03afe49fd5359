import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi';

// Self-contained on purpose: the machines this runs on have no internet, so no CDN-hosted viewer.
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Close API</title>
<style>
 body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222}
 h1{font-size:1.4rem} .op{border:1px solid #ddd;border-radius:6px;margin:.6rem 0;padding:.4rem .8rem}
 .m{display:inline-block;min-width:4.5rem;font-weight:bold;text-transform:uppercase}
 .get{color:#1565c0}.post{color:#2e7d32}.delete{color:#c62828} code,pre{background:#f6f6f6;border-radius:4px}
 pre{padding:.5rem;overflow:auto;font-size:12px} summary{cursor:pointer}
</style></head>
<body><h1>Period-end close (期末结账) API</h1><p id="info"></p><div id="ops">Loading /openapi.json…</div>
<script>
fetch('/openapi.json').then(r => r.json()).then(doc => {
  const esc = (t) => String(t).replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'})[c]);
  document.getElementById('info').textContent = doc.info.description;
  const out = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters || []).map(p => '<li><code>' + esc(p.name) + '</code> (' + p.in + (p.required ? ', required' : '') + ')</li>').join('');
      const body = op.requestBody ? '<p>Body:</p><pre>' + esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2)) + '</pre>' : '';
      const responses = Object.entries(op.responses).map(([s, r]) => '<code>' + s + '</code> ' + esc(r.description || 'error')).join(' · ');
      out.push('<details class="op"><summary><span class="m ' + method + '">' + method + '</span> <code>' + esc(path) + '</code> — ' + esc(op.summary) +
        (op['x-permission'] ? ' <small>(' + esc(op['x-permission']) + ')</small>' : '') + '</summary>' +
        (params ? '<ul>' + params + '</ul>' : '') + body + '<p>' + responses + '</p></details>');
    }
  }
  document.getElementById('ops').innerHTML = out.join('');
}).catch(e => { document.getElementById('ops').textContent = 'Could not load /openapi.json: ' + e; });
</script></body></html>`;

export function docsRoutes(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });

  return router;
}
