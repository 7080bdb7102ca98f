/**
 * @claw/anthropic — a Claw model provider for Anthropic's Messages API.
 * @packageDocumentation
 */
export { AnthropicProvider, anthropic, type AnthropicProviderOptions } from './anthropic-provider';
export { DEFAULT_MAX_OUTPUT_TOKENS } from './to-anthropic-request';
