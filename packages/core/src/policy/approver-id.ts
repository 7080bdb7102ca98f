/**
 * The one place approver and principal ids are compared. Ids arrive from people and chat systems with stray case,
 * spaces and look-alike Unicode forms (`Raj`, `raj `, full-width letters); every comparison of "who approved" and
 * "who asked" goes through this normal form, so one person can never count as two, nor pass as someone else.
 */
export function normaliseApproverId(id: string): string {
  return id.normalize('NFKC').trim().toLowerCase();
}

/** True when two ids name the same person after normalisation. */
export function sameApprover(a: string, b: string): boolean {
  return normaliseApproverId(a) === normaliseApproverId(b);
}
