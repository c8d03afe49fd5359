import { apiErrorMessage, createApiClient } from './api-client';

describe('the API error line', () => {
  it("when the API says VALIDATION_FAILED, then the fields and what is wrong with each replace its 'see details'", () => {
    const message = apiErrorMessage('The request is not valid; see details for each field.', {
      issues: [{ path: 'id', code: 'invalid_format', message: 'Invalid UUID' }],
    });
    expect(message).toBe('The request is not valid: id: Invalid UUID');
  });

  it('when several fields are wrong or an issue has no path, then each is named', () => {
    const message = apiErrorMessage('The request is not valid; see details for each field.', {
      issues: [
        { path: 'ledger', message: 'Invalid string' },
        { path: '', message: 'Unrecognized key: "x"' },
      ],
    });
    expect(message).toBe('The request is not valid: ledger: Invalid string; request: Unrecognized key: "x"');
  });

  it('when the details hold no issues, then the message is as the API said it', () => {
    expect(apiErrorMessage('There is no close with this id.', { closeId: 'x' })).toBe('There is no close with this id.');
    expect(apiErrorMessage('m', undefined)).toBe('m');
  });

  it('when a malformed id is refused, then the client throws the code with the details written out', async () => {
    const body = {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The request is not valid; see details for each field.',
        details: { issues: [{ path: 'id', message: 'Invalid UUID' }] },
      },
    };
    const fetchStub = (async () => new Response(JSON.stringify(body), { status: 400 })) as typeof fetch;
    const api = createApiClient({ url: 'http://api.test', token: 't' }, fetchStub);
    await expect(api.get('/api/v1/closes/abc')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'The request is not valid: id: Invalid UUID',
      exitCode: 5,
    });
  });

  it('when a file is downloaded, then its bytes come back as they were sent', async () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x41]);
    const fetchStub = (async () => new Response(bytes, { status: 200, headers: { 'content-type': 'text/csv' } })) as typeof fetch;
    const api = createApiClient({ url: 'http://api.test', token: 't' }, fetchStub);
    expect([...(await api.download('/x', { format: 'csv' }))]).toEqual([0xef, 0xbb, 0xbf, 0x41]);
  });
});
