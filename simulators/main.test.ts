import { parseStandInArgs } from './main';

describe('stand-in process arguments', () => {
  test('when a kind and options are given, then they are read', () => {
    expect(parseStandInArgs(['tax'])).toEqual({ kind: 'tax' });
    expect(parseStandInArgs(['bank', '--port', '0', '--host', '0.0.0.0', '--seed', '7'])).toEqual({ kind: 'bank', port: 0, host: '0.0.0.0', seed: 7 });
  });

  test('when the kind, a value or an option is wrong, then the error shows the usage', () => {
    expect(() => parseStandInArgs([])).toThrow(/usage: node dist\/simulators\/main.js tax\|bank/);
    expect(() => parseStandInArgs(['ledger'])).toThrow(/usage/);
    expect(() => parseStandInArgs(['tax', '--port'])).toThrow(/--port needs a value/);
    expect(() => parseStandInArgs(['tax', '--port', '70000'])).toThrow(/whole number/);
    expect(() => parseStandInArgs(['tax', '--verbose', 'yes'])).toThrow(/Unknown option --verbose/);
  });
});
