import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The seed .eml files shared with examples/inbox-triage.ts. */
export const FIXTURE_DIR = fileURLToPath(new URL('../../../examples/fixtures/mail/', import.meta.url));

/** Every seed message by file name (without .eml), in file order: oldest first. */
export function fixtureMessages(): { name: string; source: Buffer }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => ({ name: f.replace(/\.eml$/, ''), source: readFileSync(FIXTURE_DIR + f) }));
}

/** An older message (January) for date searches. */
export const OLD_MESSAGE = `From: Old Friend <friend@old.example>
To: priya@acme.example
Subject: Happy new year
Date: Thu, 15 Jan 2026 09:00:00 +0000
Message-ID: <new-year@old.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Happy new year!
`;

/** A message larger than a small fetch limit: text first, then a 300 KB attachment. */
export function bigMessage(bytes = 300_000): string {
  const payload = Buffer.alloc(bytes, 7).toString('base64').replace(/.{76}/g, '$&\n');
  return `From: Design Team <design@acme.example>
To: priya@acme.example
Subject: Final brand assets
Date: Mon, 02 Mar 2026 15:00:00 +0000
Message-ID: <brand-assets@acme.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b2-assets"

--b2-assets
Content-Type: text/plain; charset=utf-8

The final logo pack is attached.

--b2-assets
Content-Type: application/zip; name="brand-assets.zip"
Content-Disposition: attachment; filename="brand-assets.zip"
Content-Transfer-Encoding: base64

${payload}
--b2-assets--
`;
}
