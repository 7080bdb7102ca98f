/**
 * @claw/core/testing — deterministic stand-ins for tests, demos and benchmarks: a scripted model, fixture
 * records and a multi-process budget contention driver. Nothing here needs a test runner; the store conformance
 * suites (which run on vitest) are in `@claw/core/conformance`.
 * @packageDocumentation
 */
export { ScriptedModel, type ScriptStep, type ScriptedTurn, type ScriptedToolCall, type ScriptedModelOptions } from './scripted-model';
export { usageRecordFixture, FIXTURE_TIME } from './conformance/fixtures';
export { contendForBudget, type BudgetContentionOptions, type BudgetContentionResult, type ContendedCall } from './conformance/budget-contention';
export { FakeClock } from './fake-clock';
