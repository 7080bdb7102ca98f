// Packing (pnpm pack / pnpm publish) removes the workspace-only "claw-source" export condition, which points at
// TypeScript sources that are not in the tarball: consumers see only the built dist/ files.
'use strict';

/** The exports map without any "claw-source" condition, at any depth. */
function withoutSourceCondition(exports) {
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return exports;
  const result = {};
  for (const [key, value] of Object.entries(exports)) {
    if (key === 'claw-source') continue;
    result[key] = withoutSourceCondition(value);
  }
  return result;
}

module.exports = {
  hooks: {
    beforePacking(pkg) {
      if (pkg.exports) pkg.exports = withoutSourceCondition(pkg.exports);
      return pkg;
    },
  },
};
