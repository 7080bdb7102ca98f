/**
 * @claw/core — the Claw agent runtime: tools, skills, policy, metering, memory and the agent loop.
 * @packageDocumentation
 */
export * from './errors';
export * from './model';
export * from './tools';
export * from './skills';
export * from './policy';
export * from './metering';
export * from './memory';
export * from './agent';
export * from './events';
export * from './jobs';
