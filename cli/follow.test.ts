import type { ApiClient } from './api-client';
import { createLiveLine, followClose, monthEndSettled } from './follow';
import type { CloseView } from './types';

function recorder(isTTY: boolean) {
  const written: string[] = [];
  return {
    terminal: {
      isTTY,
      write: (text: string) => {
        written.push(text);
      },
    },
    written,
  };
}

describe('createLiveLine', () => {
  it('when not on a terminal, then each change is its own line and repeats are dropped', () => {
    const { terminal, written } = recorder(false);
    const line = createLiveLine(terminal);
    for (const text of ['a', 'a', 'b']) line.show(text);
    line.done();
    expect(written).toEqual(['a\n', 'b\n']);
  });

  it('when on a terminal, then the line is redrawn in place and ended once', () => {
    const { terminal, written } = recorder(true);
    const line = createLiveLine(terminal);
    line.show('a');
    line.show('b');
    line.done();
    expect(written).toEqual(['\r\x1b[2Ka', '\r\x1b[2Kb', '\n']);
  });
});

describe('followClose', () => {
  const at = (state: CloseView['state'], done: number): CloseView => ({
    id: 'c-1',
    ledger: 'GH-001',
    period: '2026-10',
    state,
    initiatedBy: 'li.wei',
    startedAt: '2026-11-01T00:00:00Z',
    endedAt: null,
    monthEndId: null,
    steps: ['authorise', 'previous_period', 'pending_approvals'].map((name, i) => ({
      name: name as never,
      state: i < done ? 'done' : i === done ? (state === 'blocked' ? 'blocked' : 'running') : 'pending',
      attempts: 1,
      startedAt: null,
      endedAt: null,
      lastError: null,
    })),
  });

  it('when the close runs and then waits on blockers, then it prints each change and stops at blocked', async () => {
    const answers = [at('running', 0), at('running', 0), at('running', 1), at('blocked', 2), at('running', 3)];
    const asked: string[] = [];
    const api = {
      get: async (path: string) => {
        asked.push(path);
        return answers.shift();
      },
    } as unknown as ApiClient;
    const { terminal, written } = recorder(false);
    const last = await followClose(api, 'c-1', terminal, { sleep: async () => {} });
    expect(last.state).toBe('blocked');
    expect(asked).toEqual(Array(4).fill('/api/v1/closes/c-1'));
    expect(written).toEqual([
      'GH-001 2026-10 [---] 0/3 authorise running\n',
      'GH-001 2026-10 [#--] 1/3 previous_period running\n',
      'GH-001 2026-10 [##-] 2/3 pending_approvals blocked\n',
    ]);
  });
});

describe('monthEndSettled', () => {
  const summary = { total: 3, closed: 1, blocked: 1, running: 1, failed: 0, cancelled: 0, notStarted: 0, blockedLedgers: [], failedLedgers: [] };

  it('when a close still runs, then the month-end is not settled; once none runs or waits to start, it is', () => {
    expect(monthEndSettled({ id: 'm', period: '2026-10', state: 'running', summary })).toBe(false);
    expect(monthEndSettled({ id: 'm', period: '2026-10', state: 'running', summary: { ...summary, running: 0, blocked: 2 } })).toBe(true);
    expect(monthEndSettled({ id: 'm', period: '2026-10', state: 'completed', summary })).toBe(true);
  });
});
