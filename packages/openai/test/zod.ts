// @claw/openai does not depend on zod, but defining a tool for the Agent integration test needs it. This is the
// copy @claw/core itself resolves (so schemas match the one core converts); a devDependency would be cleaner.
export { z } from '../../core/node_modules/zod';
