// What most browser suites share: one sengen and one Chromium for all the tests of a file, started
// before them and stopped after them (sengen must stop cleanly). `use` gets both once started.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { launch } from './browser.js';
import { Sengen } from './sengen.js';

export function sengenAndChromium(use, args = ['--mail-poll-ms', '50']) {
  let server;
  let browser;
  before(async () => {
    server = await new Sengen(args).start();
    browser = await launch();
    use(server, browser);
  });
  after(async () => {
    await browser?.close();
    const code = await server?.stop();
    assert.equal(code, 0, 'sengen did not stop cleanly');
  });
}
