/** The person an agent acts for. `managerId` links them into the management chain used for usage visibility. */
export interface Principal {
  id: string;
  managerId?: string;
  team?: string;
  displayName?: string;
}

/** `sandbox` previews side effects instead of performing them; `production` performs them. */
export type Environment = 'sandbox' | 'production';

/** What started a model call: a person, a schedule, memory consolidation, a heartbeat, or a resumed approval. */
export type Trigger = 'user' | 'schedule' | 'dream' | 'heartbeat' | 'approval-resume';
