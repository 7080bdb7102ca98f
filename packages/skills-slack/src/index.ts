/**
 * @claw/skills-slack — the Slack skill (read, digest, post, react, DM, look up people), Slack as an approval
 * channel, and Slack as an alert sink. Built on the official `@slack/web-api` client.
 * @packageDocumentation
 */
export { createSlackClient, isSlackClient, type SlackClient, type SlackClientOptions, type SlackCallOptions, type SlackPage } from './client/slack-client';
export {
  defaultSlackRetryPolicy,
  decideSlackRetry,
  isIdempotentSlackMethod,
  type SlackRetryPolicy,
  type SlackRetryDecision,
} from './client/retry-policy';
export { SlackApiError, type SlackErrorKind, type SlackApiErrorOptions } from './errors/slack-api-error';
export { slackSkill, slackSkillConfigSchema, type SlackSkillConfig } from './skill';
export { SlackDirectory, type SlackChannelInfo, type SlackUserInfo } from './directory/slack-directory';
export { analyzeMentions, escapeMrkdwn, type MessageMentions } from './messages/mentions';
export type { SlackMessageView } from './messages/message-view';
export type { ReadChannelOutput } from './tools/read-channel';
export type { ChannelDigest } from './tools/summarize-channel';
export { postMessageInput, type PostMessageInput, type PostMessageOutput } from './tools/post-message';
export {
  slackMessageApprovalReason,
  SLACK_MESSAGE_TOOLS,
  type SlackMessageApprovalOptions,
} from './policy/message-approval';
export { slackPolicyRules, resolveSlackPolicyRules, type SlackPolicyRulesOptions } from './policy/slack-policy-rules';
export { loadSlackChannelNames, type SlackChannelNames } from './policy/channel-names';
export {
  slackApprovals,
  SLACK_APPROVAL_TIMEOUT_APPROVER,
  type SlackApprovalsOptions,
  type SlackApprovalHandler,
  type SlackInteractionResult,
} from './approvals/slack-approvals';
export { APPROVE_ACTION_ID, DENY_ACTION_ID } from './approvals/approval-message';
export { verifySlackSignature, type SlackSignedRequest } from './approvals/verify-signature';
export { slackAlerts, alertMessage, type SlackAlertsOptions } from './alerts/slack-alerts';
