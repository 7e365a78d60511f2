// Checks on `roles` and `specialists`: electrictown's role names read as ours, no role configured
// twice, no specialist shadowing a role, and every built-in role able to find a model.
import type { PathIssue } from '../issues';
import { asMap, asString, canonicalRoleName, sectionEntries } from '../references';
import { BUILT_IN_ROLES, ROLE_ALIASES } from '../schema';
import { misspeltName } from '../suggest';

function checkRoleNames(roleNames: readonly string[]): PathIssue[] {
  return roleNames.flatMap((name): PathIssue[] => {
    const canonical = ROLE_ALIASES.get(name);
    if (canonical === undefined) return [];
    if (roleNames.includes(canonical)) {
      return [{ severity: 'error', code: 'duplicate-role', message: `"${name}" and "${canonical}" both configure the ${canonical} role: keep one`, path: ['roles', name], target: 'key' }];
    }
    return [{ severity: 'info', code: 'role-alias', message: `"${name}" is electrictown's name for the ${canonical} role; it is read as "${canonical}"`, path: ['roles', name], target: 'key' }];
  });
}

/**
 * A custom role named almost like a built-in one (`witnes`) is probably that role misspelt, which would
 * leave the built-in role on the defaults. Custom roles are allowed, so this is a hint, and only while
 * the role it resembles is not configured as well.
 */
function checkNearBuiltInNames(roleNames: readonly string[]): PathIssue[] {
  const builtInNames = [...BUILT_IN_ROLES, ...ROLE_ALIASES.keys()];
  const configured = new Set(roleNames.map(canonicalRoleName));
  return roleNames.flatMap((name): PathIssue[] => {
    if (builtInNames.includes(name)) return [];
    const suggestion = misspeltName(name, builtInNames);
    if (suggestion === undefined || configured.has(canonicalRoleName(suggestion))) return [];
    return [
      {
        severity: 'hint',
        code: 'role-name-typo',
        message: `"${name}" is not a built-in role, so it is read as a custom one — did you mean "${suggestion}"?`,
        path: ['roles', name],
        target: 'key',
      },
    ];
  });
}

function checkSpecialistNames(raw: unknown, roleNames: readonly string[]): PathIssue[] {
  const taken = new Set<string>([...BUILT_IN_ROLES, ...ROLE_ALIASES.keys(), ...roleNames]);
  return sectionEntries(raw, 'specialists')
    .filter(([name]) => taken.has(name))
    .map(([name]) => ({
      severity: 'error',
      code: 'specialist-collides-with-role',
      message: `specialist "${name}" has the name of a role: rename it so [specialist: ${name}] and the ${canonicalRoleName(name)} role cannot be confused`,
      path: ['specialists', name],
      target: 'key',
    }));
}

function checkEveryRoleHasAModel(raw: unknown): PathIssue[] {
  // Until there is a model to assign, "no providers" or "no models" says it better.
  if (sectionEntries(raw, 'models').length === 0) return [];
  if (asString(asMap(asMap(raw)?.defaults)?.model) !== undefined) return [];
  const roles = sectionEntries(raw, 'roles');
  const withModel = new Set(
    roles.filter(([, role]) => asString(role?.model) !== undefined || Array.isArray(role?.pool)).map(([name]) => canonicalRoleName(name)),
  );
  const missing = BUILT_IN_ROLES.filter((role) => !withModel.has(role));
  if (missing.length === 0) return [];
  return [
    {
      severity: 'warning',
      code: 'role-without-model',
      message: `no model for ${missing.length === 1 ? 'role' : 'roles'} ${missing.join(', ')}: give ${missing.length === 1 ? 'it' : 'each'} a \`model\` under \`roles\`, or set \`defaults.model\``,
      path: ['roles'],
      target: 'key',
    },
  ];
}

export function checkRoles(raw: unknown): PathIssue[] {
  const roleNames = sectionEntries(raw, 'roles').map(([name]) => name);
  return [...checkRoleNames(roleNames), ...checkNearBuiltInNames(roleNames), ...checkSpecialistNames(raw, roleNames), ...checkEveryRoleHasAModel(raw)];
}
