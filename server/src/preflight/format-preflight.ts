// The pre-flight result for a terminal (`et doctor`): a table of the roles, then what to fix. Pure.
import type { PreflightResult, PreflightRole } from '../protocol';

const reachability = (role: PreflightRole): string => (role.reachable === null ? '-' : role.reachable ? 'yes' : 'no');

export function formatPreflight(result: PreflightResult): string {
  const lines: string[] = [];
  if (result.configPath !== null) lines.push(`config: ${result.configPath}`);
  if (result.roles.length > 0) {
    const rows = [['ROLE', 'MODEL', 'PROVIDER', 'ENDPOINT', 'KEY', 'ANSWERS'], ...result.roles.map((role) => [role.role, role.model ?? '-', role.provider ?? '-', role.endpoint ?? '-', role.key, reachability(role)])];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    lines.push('', ...rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')));
  }
  lines.push('');
  if (result.problems.length === 0) lines.push(`ready: every role's first model can be reached (checked in ${result.elapsedMs} ms)`);
  else lines.push(`${result.problems.length === 1 ? '1 thing' : `${result.problems.length} things`} to fix:`, ...result.problems.map((problem) => `  - ${problem.message}`));
  return `${lines.join('\n')}\n`;
}
