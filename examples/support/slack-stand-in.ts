/**
 * A local Slack for the examples: the stand-in of Slack's Web API from `@claw/skills-slack/testing`, seeded with a
 * busy incident channel so a digest has something to say.
 */
import { startSlackStandIn, type SlackStandIn } from '@claw/skills-slack/testing';

export { startSlackStandIn, type SlackStandIn };

/** The people of the demo workspace. */
export const DEMO_PEOPLE = {
  priya: { id: 'U0PRIYA01', name: 'priya', realName: 'Priya Shah', email: 'priya@acme.test' },
  raj: { id: 'U0RAJ0001', name: 'raj', realName: 'Raj Patel', email: 'raj@acme.test' },
  sam: { id: 'U0SAM0001', name: 'sam', realName: 'Sam Lee', email: 'sam@acme.test' },
  ana: { id: 'U0ANA0001', name: 'ana', realName: 'Ana Costa', email: 'ana@acme.test' },
  lee: { id: 'U0LEE0001', name: 'lee', realName: 'Lee Wong', email: 'lee@acme.test' },
} as const;

const CHATTER = [
  'p95 latency on checkout is back under 300 ms',
  'deploying payments-api 2024.6.3 to staging',
  'staging smoke tests green',
  'who owns the flaky cart test? it failed twice today',
  'rotating the search index replicas, expect brief 502s',
  'db replica lag is at 4 s, watching it',
  'replica lag back to normal',
  'new dashboard for queue depth is up in grafana',
  'paging volume this week: 3 pages, all resolved',
  'reminder: game day on thursday at 14:00',
];

/**
 * Starts the stand-in with #incidents (about 150 messages over the last day, an outage thread with replies and
 * reactions, and older messages a 24 h digest leaves out), an empty #ops-digest, #approvals and #general.
 */
export async function startDemoSlack(): Promise<SlackStandIn> {
  const slack = await startSlackStandIn();
  const people = Object.values(DEMO_PEOPLE);
  for (const person of people) slack.addUser(person);
  const everyone = people.map((p) => p.id);
  for (const name of ['incidents', 'ops-digest', 'approvals', 'general']) slack.addChannel({ name, members: everyone });

  const now = Date.now();
  const hour = 3_600_000;
  for (let i = 0; i < 12; i++) {
    slack.addMessage('#incidents', { user: people[i % people.length]!.id, text: `last week: ${CHATTER[i % CHATTER.length]}`, at: now - 40 * hour + i * 60_000 });
  }
  for (let i = 0; i < 140; i++) {
    slack.addMessage('#incidents', { user: people[(i * 3) % people.length]!.id, text: CHATTER[(i * 7) % CHATTER.length]!, at: now - 20 * hour + i * 8 * 60_000 });
  }
  const outage = slack.addMessage('#incidents', {
    user: DEMO_PEOPLE.sam.id,
    text: 'checkout is returning 500s for about 8% of requests since 09:12, investigating',
    at: now - 6 * hour,
  });
  const replies: [keyof typeof DEMO_PEOPLE, string][] = [
    ['ana', 'correlates with the payments-api deploy at 09:10'],
    ['raj', 'rolling payments-api back to 2024.6.2'],
    ['sam', 'rollback done, error rate back to 0.1%'],
    ['priya', 'root cause: a missing index on the new refunds table; fix in review'],
    ['lee', 'postmortem doc started, review on friday'],
  ];
  replies.forEach(([who, text], i) => slack.addMessage('#incidents', { user: DEMO_PEOPLE[who].id, text, threadTs: outage.ts, at: now - 6 * hour + (i + 1) * 300_000 }));
  for (const [who, reaction] of [['raj', 'eyes'], ['ana', 'eyes'], ['lee', 'rotating_light'], ['priya', 'white_check_mark']] as const) {
    slack.addReaction('#incidents', outage.ts, reaction, DEMO_PEOPLE[who].id);
  }
  return slack;
}
