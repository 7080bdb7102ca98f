import { InMemory{{Name}} } from './src';

/** The configuration `claw skills describe . --config ./review.config.ts` lists the tools with. */
export default { backend: new InMemory{{Name}}() };
