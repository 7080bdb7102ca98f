/**
 * @claw/core/testing — deterministic models and shared conformance suites for stores.
 * @packageDocumentation
 */
export { ScriptedModel, type ScriptStep, type ScriptedTurn, type ScriptedToolCall, type ScriptedModelOptions } from './scripted-model';
export * from './conformance';
export { FakeClock } from './fake-clock';
