import fs from 'node:fs';
import path from 'node:path';
import { useTestDatabase } from '../test/helpers/database';

/** README's "Who may do what" table, role by role, as sorted permission lists. */
function readmeRoles(): Record<string, string[]> {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const table = /<!-- roles:begin -->([\s\S]*?)<!-- roles:end -->/.exec(readme)?.[1];
  if (!table) throw new Error('README.md has no roles table between <!-- roles:begin --> and <!-- roles:end -->');
  const roles: Record<string, string[]> = {};
  for (const line of table.split('\n').filter((l) => /^\| `/.test(l))) {
    const [role, permissions] = line.split('|').slice(1, 3);
    roles[/`([^`]+)`/.exec(role)![1]] = [...permissions.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort();
  }
  return roles;
}

describe("README's role table", () => {
  const t = useTestDatabase(2);

  it('when the migrated database grants permissions to roles, then README lists exactly those, role by role', async () => {
    const granted = (await t.ds.query(
      `SELECT r.name AS role, coalesce(array_agg(rp.permission ORDER BY rp.permission) FILTER (WHERE rp.permission IS NOT NULL), '{}') AS permissions
       FROM role r LEFT JOIN role_permission rp ON rp.role = r.name GROUP BY r.name`,
    )) as Array<{ role: string; permissions: string[] }>;
    const fromDatabase = Object.fromEntries(granted.map((g) => [g.role, [...g.permissions].sort()]));
    expect(readmeRoles()).toEqual(fromDatabase);
  });

  it('when least privilege is asked of the roles that keep no books, then the administrator and the scheduler cannot read them', () => {
    const roles = readmeRoles();
    expect(roles.administrator).not.toContain('close:read');
    expect(roles.scheduler).not.toContain('close:read');
  });
});
