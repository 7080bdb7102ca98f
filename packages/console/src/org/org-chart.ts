import type { OrgDirectory } from '@claw/core';

/**
 * The org directory the console needs: core's `OrgDirectory` (who manages whom, who is in which team), plus
 * the direct reports of a person so the team page can list the people down a manager's chain. Listing only
 * proposes rows: every number on a row is still read through `UsageReports`, which decides access itself.
 */
export interface ConsoleDirectory extends OrgDirectory {
  /** Ids of the people whose direct manager this person is (empty for an unknown person or nobody). */
  directReportsOf(personId: string): Promise<readonly string[]> | readonly string[];
  /** The team a person belongs to, for the team aggregates; undefined when unknown. */
  teamOf?(personId: string): Promise<string | undefined> | string | undefined;
  /** A display name; the id is shown when absent. */
  displayNameOf?(personId: string): Promise<string | undefined> | string | undefined;
}

/** One person of an {@link InMemoryOrgChart}. */
export interface OrgChartPerson {
  managerId?: string;
  team?: string;
  name?: string;
}

/** A {@link ConsoleDirectory} from a plain map of people (id → manager, team, name). */
export class InMemoryOrgChart implements ConsoleDirectory {
  private readonly people: ReadonlyMap<string, OrgChartPerson>;

  constructor(people: Readonly<Record<string, OrgChartPerson>>) {
    this.people = new Map(Object.entries(people));
  }

  /** The person's direct manager. */
  managerOf(personId: string): string | undefined {
    return this.people.get(personId)?.managerId;
  }

  /** Ids of a team's members, sorted. */
  membersOf(team: string): string[] {
    return [...this.people].filter(([, p]) => p.team === team).map(([id]) => id).sort();
  }

  /** Ids of the people this person manages directly, sorted. */
  directReportsOf(personId: string): string[] {
    return [...this.people].filter(([, p]) => p.managerId === personId).map(([id]) => id).sort();
  }

  /** The person's team. */
  teamOf(personId: string): string | undefined {
    return this.people.get(personId)?.team;
  }

  /** The person's display name. */
  displayNameOf(personId: string): string | undefined {
    return this.people.get(personId)?.name;
  }
}

/** Everyone below a manager in the management chain, breadth first (nearest first); cycles end the walk. */
export async function peopleBelow(directory: ConsoleDirectory, managerId: string, limit = 10_000): Promise<string[]> {
  const seen = new Set<string>([managerId]);
  const out: string[] = [];
  let level = [managerId];
  while (level.length > 0 && out.length < limit) {
    const next: string[] = [];
    for (const person of level) {
      for (const report of await directory.directReportsOf(person)) {
        if (seen.has(report)) continue;
        seen.add(report);
        out.push(report);
        next.push(report);
      }
    }
    level = next;
  }
  return out.slice(0, limit);
}
