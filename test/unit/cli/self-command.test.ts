import assert from 'node:assert/strict';
import { selfCommand } from '../../../server/src/self-command';

describe('how et starts itself again (a session turn)', () => {
  it('runs the bundle with node when started as `node cli.js`', () => {
    assert.deepEqual(selfCommand({ execPath: '/usr/bin/node', scriptPath: '/ext/server/out/cli.js', mainFilename: '/ext/server/out/cli.js', launcher: undefined }), ['/usr/bin/node', '/ext/server/out/cli.js']);
  });

  it('runs the executable alone when it is a single executable (argv[1] may be a bare name from PATH)', () => {
    assert.deepEqual(selfCommand({ execPath: '/opt/et/et', scriptPath: 'et', mainFilename: '/opt/et/et', launcher: undefined }), ['/opt/et/et']);
  });

  it('runs the launcher that says so, since its node cannot start alone', () => {
    const riscv64 = { execPath: '/opt/et/lib/ld-linux-riscv64-lp64d.so.1', scriptPath: '/opt/et/et.cjs', mainFilename: '/opt/et/et.cjs', launcher: '/opt/et/et' };
    assert.deepEqual(selfCommand(riscv64), ['/opt/et/et']);
  });
});
