export { ClawError, type ClawErrorCode, type ErrorCode } from './claw-error';
export * from './errors';
