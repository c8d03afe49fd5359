import { Command } from 'commander';
import { createToken, createUser, revokeToken } from '../api/services/user-service';
import { openDatabase, type OpenDatabase } from '../db/database-url';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';

/**
 * npm run admin -- create-token --user <name> --role <role> [--scope <ledger>] [--password <secret>]
 *   creates the user (or reuses an existing one of that role and scope) and prints a new token as the
 *   last line. No --scope: every ledger. --password sets the password the user signs in with.
 * npm run admin -- revoke-token <token>
 */
const log = createLogger(process.env.LOG_LEVEL ?? 'warn');

async function withDatabase<T>(work: (db: OpenDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig(), log, { poolSize: 2, applicationName: 'close-admin' });
  try {
    return await work(db);
  } finally {
    await db.stop();
  }
}

const program = new Command('admin').description('Administer users and API tokens of the close orchestrator');

program
  .command('create-token')
  .description('create a user (or reuse it) and print a new bearer token for it as the last line')
  .requiredOption('--user <name>', 'user name (letters, digits, _ . @ -)')
  .requiredOption('--role <role>', 'finance_manager, accountant, operations, auditor, administrator or scheduler')
  .option('--scope <ledger>', 'the ledger whose subtree the user may touch (default: every ledger)')
  .option('--password <secret>', 'a password to sign in to the dashboard with (12 to 200 characters)')
  .action(async (opts: { user: string; role: string; scope?: string; password?: string }) => {
    const { token, created } = await withDatabase(async (db) => {
      const made = await createUser(db.dataSource, { name: opts.user, role: opts.role, scope: opts.scope ?? null, password: opts.password }, 'admin-cli');
      return { created: made.created, token: await createToken(db.dataSource, opts.user, 'admin-cli') };
    });
    const scope = opts.scope ? `scope ${opts.scope}` : 'every ledger';
    process.stdout.write(
      `${created ? 'Created' : 'Reused'} user ${opts.user} (${opts.role}, ${scope}). The token is shown once; only its hash is kept:\n${token}\n`,
    );
  });

program
  .command('revoke-token')
  .description('revoke a bearer token')
  .argument('<token>', 'the token to revoke')
  .action(async (token: string) => {
    const revoked = await withDatabase((db) => revokeToken(db.dataSource, token, 'admin-cli'));
    process.stdout.write(revoked ? 'Token revoked.\n' : 'No such active token.\n');
    if (!revoked) process.exitCode = 1;
  });

program.parseAsync().catch((err: Error & { code?: string }) => {
  process.stderr.write(`admin: ${err.message}${err.code ? ` (${err.code})` : ''}\n`);
  process.exit(1);
});
