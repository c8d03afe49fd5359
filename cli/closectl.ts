import { describeError, errorLine, ExitCode } from './args';
import { buildProgram } from './program';

/** Entry point of the `closectl` binary (bin/closectl.js requires this file): runs on load. */
async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (err) {
    const reported = describeError(err);
    if (reported.exitCode !== ExitCode.OK) process.stderr.write(`${errorLine(reported)}\n`);
    return reported.exitCode;
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
