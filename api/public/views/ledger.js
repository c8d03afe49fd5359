import { api, ApiError, path, session } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { act, showError } from '../flash.js';
import { formatFen, formatTime, yuanToFen } from '../format.js';
import { getLanguage, t } from '../i18n.js';
import { stateBadge } from './parts.js';

// The times of the books are read in China, whatever the browser's clock says.
const at = (iso) => formatTime(iso);

export const ledgerHref = (code, period) => `#/ledgers/${encodeURIComponent(code)}${period ? `/${encodeURIComponent(period)}` : ''}`;

/**
 * The close report as an Excel file: fetched with this tab's credentials (a bearer token is no cookie
 * a plain link would carry), then handed to the browser as a download.
 */
async function downloadReport(url, file) {
  const headers = { 'accept-language': getLanguage() === 'zh' ? 'zh-CN' : 'en' };
  if (session.token()) headers.authorization = `Bearer ${session.token()}`;
  const response = await fetch(url, { headers });
  if (!response.ok) {
    const error = (await response.json().catch(() => null))?.error;
    throw new ApiError(error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, response.status);
  }
  const link = h('a', { href: URL.createObjectURL(await response.blob()), download: file });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

function reportLink(code, period) {
  const url = `${path`/api/v1/ledgers/${code}/periods/${period}/report`}?format=xlsx`;
  const link = h('a', { href: url, 'data-testid': 'report-link', download: `close-report-${code}-${period}.xlsx` }, t('ledger.report'));
  link.addEventListener('click', (event) => {
    event.preventDefault();
    void act(null, () => downloadReport(url, `close-report-${code}-${period}.xlsx`));
  });
  return link;
}

function runItem(run) {
  const role = run.counts ? 'counts' : run.superseded ? 'superseded' : null;
  return h(
    'li',
    {
      class: role ? `run run-${role}` : 'run',
      'data-testid': 'run',
      dataset: { closeId: run.closeId, state: run.state, counts: String(run.counts), superseded: String(run.superseded) },
    },
    // A run that closed the period says whether its close stands; any other run says how it ended.
    role
      ? h('span', { class: `run-role ${role}`, 'data-testid': 'run-role', title: t(`ledger.run.${role}Hint`) }, t(`ledger.run.${role}`))
      : stateBadge(run.state),
    ' ',
    h('a', { href: `#/closes/${encodeURIComponent(run.closeId)}` }, t('ledger.run', { by: run.initiatedBy, at: at(run.startedAt) })),
  );
}

function reopeningItem(r) {
  return h(
    'div',
    { class: 'reopening', 'data-testid': 'reopening' },
    h('div', {}, t('ledger.byAt', { by: r.by, at: at(r.at) })),
    h('div', { class: 'reason', 'data-testid': 'reopen-reason' }, r.reason ? t('ledger.reason', { reason: r.reason }) : t('ledger.noReason')),
  );
}

function periodRow(code, p, selected) {
  return h(
    'tr',
    { 'data-testid': 'period-row', class: p.period === selected ? 'selected' : null, dataset: { period: p.period, state: p.state } },
    h('td', { class: 'nowrap' }, h('a', { href: ledgerHref(code, p.period), 'data-testid': 'period-link', title: t('ledger.tb.show') }, p.period)),
    h('td', {}, stateBadge(p.state, { 'data-testid': 'period-state' })),
    h('td', { class: 'nowrap', 'data-testid': 'closed-by' }, p.closedBy ? t('ledger.byAt', { by: p.closedBy, at: at(p.closedAt) }) : '—'),
    h('td', { 'data-testid': 'reopened' }, p.reopenings.length ? p.reopenings.map(reopeningItem) : '—'),
    h('td', {}, p.runs.length ? h('ul', { class: 'runs' }, p.runs.map(runItem)) : '—'),
    h('td', {}, p.state === 'closed' ? reportLink(code, p.period) : '—'),
  );
}

function periodsTable(code, items, selected) {
  if (items.length === 0) return h('p', { class: 'empty' }, t('ledger.noPeriods'));
  const headings = ['period', 'state', 'closed', 'reopened', 'runs', 'report'].map((c) => h('th', {}, t(`ledger.col.${c}`)));
  return h(
    'table',
    { id: 'periods-table', class: 'periods' },
    h('thead', {}, h('tr', {}, headings)),
    h(
      'tbody',
      {},
      items.map((p) => periodRow(code, p, selected)),
    ),
  );
}

/** A signed debit-positive balance in fen as the two columns a 试算平衡表 has: debit, credit. */
const sides = (fen) => (fen >= 0n ? [fen, 0n] : [0n, -fen]);
const cell = (fen) => h('td', { class: 'num' }, fen === 0n ? '' : formatFen(fen));

function trialBalanceTable(tb) {
  const total = [0n, 0n, 0n, 0n, 0n, 0n];
  let zeros = 0;
  const lines = tb.accounts.map((a) => {
    const amounts = [...sides(yuanToFen(a.opening)), yuanToFen(a.debit), yuanToFen(a.credit), ...sides(yuanToFen(a.closing))];
    amounts.forEach((fen, i) => (total[i] += fen));
    // The whole chart has a balance row once closed; accounts with nothing in them are hidden unless asked for.
    const zero = amounts.every((fen) => fen === 0n);
    if (zero) zeros += 1;
    const attrs = { 'data-testid': 'tb-row', class: zero ? 'zero' : null, hidden: zero, dataset: { account: a.account } };
    return h('tr', attrs, h('td', {}, a.account), h('td', {}, a.name), amounts.map(cell));
  });
  const showZeros = h('input', { type: 'checkbox', id: 'tb-show-zero' });
  showZeros.addEventListener('change', () => lines.filter((l) => l.classList.contains('zero')).forEach((l) => (l.hidden = !showZeros.checked)));
  const balanced = total[0] === total[1] && total[2] === total[3] && total[4] === total[5];
  const group = (key) => h('th', { colspan: 2, class: 'group' }, t(key));
  const side = () => [h('th', { class: 'num' }, t('ledger.tb.debit')), h('th', { class: 'num' }, t('ledger.tb.credit'))];
  return [
    zeros ? h('label', { class: 'check hint' }, showZeros, t('ledger.tb.showZero', { n: zeros })) : null,
    h(
      'table',
      { id: 'trial-balance-table', class: 'trial-balance' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { rowspan: 2 }, t('ledger.tb.account')),
          h('th', { rowspan: 2 }, t('ledger.tb.name')),
          group('ledger.tb.opening'),
          group('ledger.tb.movement'),
          group('ledger.tb.closing'),
        ),
        h('tr', {}, side(), side(), side()),
      ),
      h('tbody', {}, lines),
      h('tfoot', {}, h('tr', { 'data-testid': 'tb-total' }, h('th', { colspan: 2 }, t('ledger.tb.total')), total.map(cell))),
    ),
    h(
      'p',
      { class: balanced ? 'ready' : 'not-ready', 'data-testid': 'tb-verdict', dataset: { balanced: String(balanced) } },
      t(balanced ? 'ledger.tb.balanced' : 'ledger.tb.unbalanced'),
    ),
  ];
}

async function loadTrialBalance(box, code, period) {
  try {
    const tb = await api.get(path`/api/v1/ledgers/${code}/periods/${period}/trial-balance`);
    replaceChildren(
      box,
      h('div', { class: 'section-head' }, h('h3', {}, t('ledger.tb.heading', { period })), stateBadge(tb.periodState === 'closed' ? 'closed' : 'open')),
      h('p', { class: 'hint' }, t(`ledger.tb.source.${tb.source}`), ' ', t('ledger.tb.unit')),
      tb.accounts.length ? trialBalanceTable(tb) : h('p', { class: 'empty' }, t('ledger.tb.empty')),
    );
  } catch (err) {
    showError(err);
  }
}

/**
 * 账套页: a ledger's periods — who closed and reopened each, when and why, its close runs with the
 * one that counts — and the trial balance of the period chosen (in the URL, so it can be shared).
 */
export function mountLedgerView(el, code, chosenPeriod) {
  const heading = h('h2', { id: 'ledger-title' }, code);
  const periods = h('div', { id: 'periods' });
  const trialBalance = h('section', { class: 'card', id: 'trial-balance', hidden: true });
  replaceChildren(
    el,
    h('a', { href: '#/closes', class: 'back' }, t('common.back')),
    h('section', { class: 'card' }, heading, h('p', { class: 'hint' }, t('ledger.subtitle'))),
    h('section', { class: 'card' }, h('h3', {}, t('ledger.periods')), periods),
    trialBalance,
  );

  (async () => {
    try {
      const found = await api.get(path`/api/v1/ledgers/${code}/periods`);
      heading.textContent = t('ledger.heading', { code: found.ledger, name: found.name });
      // Without a choice, the latest closed period: the one a finance manager looks at after a close.
      const selected = chosenPeriod ?? (found.items.find((p) => p.state === 'closed') ?? found.items[0])?.period;
      replaceChildren(periods, periodsTable(found.ledger, found.items, selected));
      if (selected) {
        trialBalance.hidden = false;
        await loadTrialBalance(trialBalance, found.ledger, selected);
      }
    } catch (err) {
      showError(err);
    }
  })();
  return () => {};
}
