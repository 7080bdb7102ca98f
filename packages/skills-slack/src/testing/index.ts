/**
 * @claw/skills-slack/testing — a local stand-in of Slack's Web API for tests and offline examples.
 * @packageDocumentation
 */
export { startSlackStandIn, type SlackStandIn, type SlackStandInOptions, type StandInFailure, type StandInRequest, type StandInMessageInput } from './slack-stand-in';
export type { StandInChannel, StandInMessage, StandInUser } from './stand-in-workspace';
