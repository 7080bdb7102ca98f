import type { GenerateRequest } from '@claw/core';

/** The JSON output of the most recent tool result the model was shown (untrusted wrappers removed). */
export function lastToolOutput<T = Record<string, unknown>>(request: GenerateRequest): T {
  const message = [...request.messages].reverse().find((m) => m.role === 'tool');
  if (!message) throw new Error('the model has not seen a tool result yet');
  const text = message.content.replace(/^<untrusted-content[^>]*>\n/, '').replace(/\n<\/untrusted-content>$/, '');
  return JSON.parse(text) as T;
}

/** The id of the message whose subject starts with `prefix`, from the last email_search result shown to the model. */
export function idFromSearch(request: GenerateRequest, prefix: string): string {
  const output = lastToolOutput<{ messages: { id: string; subject: string }[] }>(request);
  const found = output.messages.find((m) => m.subject.startsWith(prefix));
  if (!found) throw new Error(`no message starting "${prefix}" in the last search result`);
  return found.id;
}
