import type { Command } from 'commander';
import { createApiClient, type ApiClient } from './api-client';
import { DEFAULT_TIME_ZONE } from '../lib/local-time';
import { resolveConnection } from './args';
import type { Terminal } from './follow';

/** What every command's handler gets: the API, the output, and whether to print the API's JSON. */
export interface CommandContext {
  api: ApiClient;
  json: boolean;
  out: Terminal;
  /** The IANA zone times are shown in (--tz, default Asia/Shanghai). */
  timeZone: string;
  now(): Date;
  /** Prints the API's JSON with --json, the human text otherwise. */
  print(body: unknown, text: () => string): void;
}

interface GlobalFlags {
  url?: string;
  token?: string;
  json?: boolean;
  tz?: string;
}

export type Handler<O> = (ctx: CommandContext, args: string[], options: O) => Promise<number>;

export function createContext(flags: GlobalFlags): CommandContext {
  const out: Terminal = { isTTY: process.stdout.isTTY === true, write: (text) => process.stdout.write(text) };
  const json = flags.json === true;
  return {
    api: createApiClient(resolveConnection(flags)),
    json,
    out,
    timeZone: flags.tz ?? DEFAULT_TIME_ZONE,
    now: () => new Date(),
    print: (body, text) => out.write(`${json ? JSON.stringify(body, null, 2) : text()}\n`),
  };
}

/**
 * Adapts a handler to commander's action signature (positional args…, options, command) and
 * records its exit code; errors propagate to closectl's one-line reporter.
 */
export function action<O>(handler: Handler<O>): (...actionArgs: unknown[]) => Promise<void> {
  return async (...actionArgs) => {
    const command = actionArgs[actionArgs.length - 1] as Command;
    const args = actionArgs.slice(0, command.registeredArguments.length) as string[];
    const ctx = createContext(command.optsWithGlobals<GlobalFlags>());
    process.exitCode = await handler(ctx, args, command.opts() as O);
  };
}

/** An act that POSTs to one path and says it is done: approve, post, defer, resume, cancel, reopen. */
export function act<O extends { reason?: string }>(
  path: (args: string[]) => string,
  done: (args: string[]) => string,
): (...actionArgs: unknown[]) => Promise<void> {
  return action<O>(async (ctx, args, { reason }) => {
    const body = await ctx.api.post(path(args), reason === undefined ? {} : { reason });
    ctx.print(body, () => done(args));
    return 0;
  });
}
