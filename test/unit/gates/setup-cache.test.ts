import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Gate } from '../../../server/src/gates/detect-gates';
import { rememberSetup, setupIsCurrent } from '../../../server/src/gates/setup-cache';

const INSTALL: Gate = { name: 'install', kind: 'setup', steps: [['npm', 'ci']], reason: 'package-lock.json', leaves: 'node_modules' };

describe('the setup step’s cache', () => {
  it('skips a setup whose command, manifest and lockfile are as when it passed, and whose install is still there', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'et-setup-'));
    const logs = path.join(root, '.electrictown');
    writeFileSync(path.join(root, 'package.json'), '{"dependencies":{"a":"1"}}');
    writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}');
    mkdirSync(path.join(root, 'node_modules'));
    assert.equal(await setupIsCurrent(logs, root, INSTALL), false, 'never ran');
    await rememberSetup(logs, root, INSTALL);
    assert.equal(await setupIsCurrent(logs, root, INSTALL), true);
    assert.equal(await setupIsCurrent(logs, root, { ...INSTALL, steps: [['npm', 'install']] }), false, 'another command');
    writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
    assert.equal(await setupIsCurrent(logs, root, INSTALL), false, 'the lockfile changed');
    await rememberSetup(logs, root, INSTALL);
    rmSync(path.join(root, 'node_modules'), { recursive: true });
    assert.equal(await setupIsCurrent(logs, root, INSTALL), false, 'what it installed is gone');
  });

  it('keeps a venv made outside the project while its python is there and setup.py is unchanged', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'et-setup-'));
    const logs = mkdtempSync(path.join(tmpdir(), 'et-logs-'));
    const venv = path.join(logs, 'venvs', 'p');
    const gate: Gate = { name: 'venv', kind: 'setup', steps: [['python3', '-m', 'venv', venv]], reason: 'setup.py', leaves: `${venv}/bin/python` };
    writeFileSync(path.join(root, 'setup.py'), 'from setuptools import setup\nsetup(name="a")\n');
    mkdirSync(path.join(venv, 'bin'), { recursive: true });
    writeFileSync(path.join(venv, 'bin', 'python'), '');
    await rememberSetup(logs, root, gate);
    assert.equal(await setupIsCurrent(logs, root, gate), true);
    writeFileSync(path.join(root, 'setup.py'), 'from setuptools import setup\nsetup(name="a", version="2")\n');
    assert.equal(await setupIsCurrent(logs, root, gate), false, 'setup.py changed');
    await rememberSetup(logs, root, gate);
    rmSync(venv, { recursive: true });
    assert.equal(await setupIsCurrent(logs, root, gate), false, 'the venv is gone');
  });
});
