/**
 * Who manages whom, and who is in which team. Usage visibility follows it: a person's usage is visible to them
 * and to everyone above them in their management chain, and to no one else.
 */
export interface OrgDirectory {
  /** The person's direct manager, or undefined for the top of the chain or an unknown person. */
  managerOf(personId: string): Promise<string | undefined> | string | undefined;
  /** Ids of the people in a team (empty for an unknown team). */
  membersOf(team: string): Promise<readonly string[]> | readonly string[];
}

/** An `OrgDirectory` from a plain map of people. */
export class InMemoryOrgDirectory implements OrgDirectory {
  private readonly people: ReadonlyMap<string, { managerId?: string; team?: string }>;

  constructor(people: Readonly<Record<string, { managerId?: string; team?: string }>>) {
    this.people = new Map(Object.entries(people));
  }

  managerOf(personId: string): string | undefined {
    return this.people.get(personId)?.managerId;
  }

  membersOf(team: string): string[] {
    return [...this.people].filter(([, p]) => p.team === team).map(([id]) => id).sort();
  }
}

/** True when the viewer is the subject or anywhere above them in the management chain. Cycles end the walk. */
export async function canViewUsageOf(directory: OrgDirectory, viewerId: string, subjectId: string): Promise<boolean> {
  if (viewerId === subjectId) return true;
  const visited = new Set<string>([subjectId]);
  let current: string | undefined = await directory.managerOf(subjectId);
  while (current !== undefined && !visited.has(current)) {
    if (current === viewerId) return true;
    visited.add(current);
    current = await directory.managerOf(current);
  }
  return false;
}
