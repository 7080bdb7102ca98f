export type { Message, MessageTrust, MessageOrigin, SystemMessage, SystemPart, UserMessage, AssistantMessage, ToolMessage, ToolCall } from './messages';
export type {
  JsonSchema,
  ModelToolSpec,
  GenerateRequest,
  GenerateResponse,
  ProviderUsage,
  FinishReason,
  ModelStreamEvent,
  ModelProvider,
} from './model-provider';
export { toAssistantMessage } from './model-provider';
export { DEFAULT_RETRY_POLICY, retryDelay, sleep, type RetryPolicy } from './retry-policy';
export { parseRetryAfter, type HeaderReader } from './retry-after';
