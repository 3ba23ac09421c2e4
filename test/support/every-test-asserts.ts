import { beforeEach, expect } from 'vitest';

// A test whose assertions never ran (an empty loop, a branch not taken, a
// forgotten await) fails instead of passing silently.
beforeEach(() => {
  expect.hasAssertions();
});
