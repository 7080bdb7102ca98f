import { HttpProblem } from './http-problem';

// Person ids come from the host's directory; anything with control characters or of absurd length is not one.
const PERSON_ID = /^[^\u0000-\u001f\u007f]{1,200}$/u;

/**
 * A person id from a query string or form.
 * @throws HttpProblem (400) when it is empty, too long or contains control characters.
 */
export function parsePersonId(value: string, name = 'person'): string {
  if (!PERSON_ID.test(value)) throw new HttpProblem(400, 'Malformed person id', `"${name}" must be a person id of 1 to 200 printable characters.`);
  return value;
}
