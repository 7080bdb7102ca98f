export { ClawError, type ClawErrorCode } from './claw-error';
export * from './errors';
