import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** What every page's frame shows: the viewer and which section is open. */
export interface PageFrame {
  title: string;
  /** The site root the console is mounted at ('' for `/`). */
  base: string;
  viewer?: { id: string; name: string };
  section?: 'usage' | 'team' | 'approvals' | 'audit';
  /** Pending approvals the viewer can decide, shown in the navigation. */
  pendingApprovals?: number;
  /** A notice above everything (see `ConsoleOptions.banner`). */
  banner?: string;
}

/** Markup a page returns: hono's escaped HTML (possibly still resolving). */
export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

const SECTIONS = [
  { id: 'usage', label: 'My usage', path: '/usage' },
  { id: 'team', label: 'My team', path: '/team' },
  { id: 'approvals', label: 'Approvals', path: '/approvals' },
  { id: 'audit', label: 'Audit', path: '/audit' },
] as const;

/** The HTML document around a page: styles and scripts come from the console's own `/assets`, never inline. */
export function layout(frame: PageFrame, body: Markup): Markup {
  const nav = frame.viewer
    ? html`<nav aria-label="Console">
        ${SECTIONS.map(
          (s) => html`<a href="${frame.base}${s.path}"${frame.section === s.id ? html` aria-current="page"` : ''}>${s.label}${s.id === 'approvals' && frame.pendingApprovals ? html` <span class="badge">${frame.pendingApprovals}</span>` : ''}</a>`,
        )}
        <span class="viewer">Signed in as <strong>${frame.viewer.name}</strong></span>
      </nav>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Claw console</title>
<link rel="stylesheet" href="${frame.base}/assets/uplot.css">
<link rel="stylesheet" href="${frame.base}/assets/console.css">
<script src="${frame.base}/assets/uplot.js" defer></script>
<script src="${frame.base}/assets/console.js" defer></script>
</head>
<body>
${frame.banner ? html`<p class="demo-banner" role="note">${frame.banner}</p>` : ''}
<header><span class="brand">Claw console</span>${nav}</header>
<main>
<h1>${frame.title}</h1>
${body}
</main>
</body>
</html>`;
}
