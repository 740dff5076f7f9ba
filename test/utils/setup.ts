import { afterAll, afterEach } from 'vitest';
import { disposeLeftovers } from './leftovers.js';

// Registered for every test file by vitest.config.ts (`setupFiles`): these file-level hooks run after the
// test's and the describe blocks' own, so a test's cleanup still finds what it opened.
afterEach(({ task }) => disposeLeftovers(task));
afterAll(() => disposeLeftovers('file'));
