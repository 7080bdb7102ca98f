/**
 * A seeded population for the inflation-flags benchmark: normal users doing a working week of varied requests
 * (with the habits that look like repetition: a morning routine, a quick retry, templated status checks, tickets
 * closed one after another), and scripted gamers inflating their usage with each evasion the flags must see
 * through. Every run says what its opening prompt was, when it started, what the model answered and what it did.
 */
import { integer, pick, seededRandom, type Random } from '../support/random';

/** One run as the benchmark meters it. */
export interface ScriptedRun {
  at: number;
  prompt: string;
  /** Recalled memory put into the prompt (changes from run to run, as recall does). */
  memory: string;
  answer: string;
  actions: Record<string, number>;
}

/** One person's week. */
export interface ScriptedUser {
  id: string;
  gamer: boolean;
  strategy: string;
  runs: ScriptedRun[];
}

const DAY = 86_400_000;
const MINUTE = 60_000;
const MONDAY = Date.UTC(2026, 10, 2, 8);

const PEOPLE = ['Sam', 'Ana', 'Li', 'Kim', 'Raj', 'Zoe', 'Omar', 'Eva', 'Jon', 'Mia'];
const TOPICS = ['the Q3 budget', 'the offsite', 'the incident on Tuesday', 'the hiring plan', 'the vendor contract', 'the launch checklist', 'the security review'];
const SERVICES = ['billing', 'checkout', 'search', 'auth', 'payments-api', 'notifications'];
const TASKS: ((random: Random) => string)[] = [
  (r) => `Draft a reply to ${pick(r, PEOPLE)} about ${pick(r, TOPICS)}`,
  (r) => `Which deploys of ${pick(r, SERVICES)} failed ${pick(r, ['yesterday', 'this week', 'since Friday'])}?`,
  (r) => `Find the email from ${pick(r, PEOPLE)} with the ${pick(r, ['invoice', 'slides', 'contract', 'agenda'])}`,
  (r) => `Summarise the thread about ${pick(r, TOPICS)}`,
  (r) => `What did ${pick(r, PEOPLE)} decide about ${pick(r, TOPICS)}?`,
  (r) => `Schedule 30 minutes with ${pick(r, PEOPLE)} ${pick(r, ['tomorrow morning', 'on Thursday', 'next week'])}`,
  (r) => `Is ${pick(r, SERVICES)} healthy after the last deploy?`,
  (r) => `List the open pull requests on ${pick(r, SERVICES)} waiting for my review`,
];
const ANSWERS = ['Here is the draft: ...', 'Two deploys failed: ...', 'Found it: the email from ...', 'The thread agrees on ...', 'They decided to ...', 'Booked for 10:00.', 'Yes, error rates are back to normal.', 'Three are waiting: ...'];
const FACTS = ['Priya prefers short answers.', 'The deploy freeze ends Friday.', 'Sam owns the billing service.', 'Standup is at 9:30.', 'The Q3 budget is due on the 15th.'];

const memory = (random: Random) => (random() < 0.7 ? `${pick(random, FACTS)} ${pick(random, FACTS)}` : '');

function normalUser(index: number, random: Random): ScriptedUser {
  const runs: ScriptedRun[] = [];
  const routine = random() < 0.5;
  for (let day = 0; day < 5; day++) {
    let at = MONDAY + day * DAY + integer(random, 0, 60) * MINUTE;
    if (routine) runs.push({ at, prompt: 'Summarise my inbox', memory: memory(random), answer: 'You have 4 new emails: ...', actions: {} });
    const count = integer(random, 5, 12);
    for (let i = 0; i < count; i++) {
      at += integer(random, 10, 70) * MINUTE;
      const roll = random();
      if (roll < 0.1) {
        // Tickets closed one after another: the same request shape, but each run acts on something new.
        for (let k = 0; k < integer(random, 2, 4); k++) {
          runs.push({ at: at + k * MINUTE, prompt: `Close ticket #${integer(random, 100, 999)}`, memory: memory(random), answer: 'Closed.', actions: { ticket_close: 1 } });
        }
      } else if (roll < 0.18) {
        runs.push({ at, prompt: `What is the status of T-${integer(random, 1, 300)}?`, memory: memory(random), answer: 'It is in review.', actions: {} });
      } else {
        const prompt = pick(random, TASKS)(random);
        const failed = random() < 0.05;
        runs.push({ at, prompt, memory: memory(random), answer: failed ? '' : pick(random, ANSWERS), actions: random() < 0.2 ? { email_send: 1 } : {} });
        // Not happy with the answer: the same question once more, a minute later.
        if (random() < 0.08) runs.push({ at: at + MINUTE, prompt, memory: memory(random), answer: pick(random, ANSWERS), actions: {} });
      }
    }
  }
  return { id: `normal-${index}`, gamer: false, strategy: routine ? 'normal (morning routine)' : 'normal', runs };
}

/** The evasions: each returns the prompt of the gamer's i-th run of the day and the gap to the next run. */
const STRATEGIES: Record<string, { prompt: (i: number, random: Random) => string; gapMinutes: number; perDay: number; answer?: string }> = {
  '#i suffix': { prompt: (i) => `Summarise my inbox #${i}`, gapMinutes: 12, perDay: 20 },
  'trailing and zero-width spaces': { prompt: (i) => `Summarise my${'\u200b'.repeat(i % 4)} inbox${' '.repeat(i % 5)}`, gapMinutes: 15, perDay: 16 },
  'spaced 31 minutes apart': { prompt: () => 'Check the status of all my pull requests', gapMinutes: 31, perDay: 14 },
  'noise words': { prompt: (_i, r) => `Summarise my inbox ${pick(r, ['please', 'now', 'thanks', 'asap', 'again', 'pls', 'quickly'])}`, gapMinutes: 20, perDay: 18 },
  'varied prompts answered "."': { prompt: (_i, r) => `${pick(r, TASKS)(r)}. Reply with only a period.`, gapMinutes: 20, perDay: 18, answer: '.' },
};

function gamer(index: number, strategy: string, random: Random): ScriptedUser {
  const plan = STRATEGIES[strategy]!;
  const runs: ScriptedRun[] = [];
  for (let day = 0; day < 5; day++) {
    let at = MONDAY + day * DAY + integer(random, 0, 60) * MINUTE;
    for (let i = 0; i < plan.perDay; i++) {
      runs.push({ at, prompt: plan.prompt(i, random), memory: memory(random), answer: plan.answer ?? 'You have 4 new emails: ...', actions: {} });
      at += (plan.gapMinutes + integer(random, -2, 2)) * MINUTE;
    }
    // Real work on the side, so the gamer does not look idle.
    for (let i = 0; i < 3; i++) {
      runs.push({ at: at + i * 40 * MINUTE, prompt: pick(random, TASKS)(random), memory: memory(random), answer: pick(random, ANSWERS), actions: {} });
    }
  }
  return { id: `gamer-${index}`, gamer: true, strategy, runs };
}

/** 40 normal users and two gamers per evasion, identical every run. */
export function population(normalUsers = 40): ScriptedUser[] {
  const random = seededRandom(0x1f1a7e);
  const users = Array.from({ length: normalUsers }, (_, i) => normalUser(i, random));
  let index = 0;
  for (const strategy of Object.keys(STRATEGIES)) for (let k = 0; k < 2; k++) users.push(gamer(index++, strategy, random));
  return users;
}
