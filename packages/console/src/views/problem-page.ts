import { html } from 'hono/html';
import type { HttpProblem } from '../http/http-problem';
import { layout, type Markup, type PageFrame } from './layout';

/** The page of a refused or malformed request: what happened and what to do. */
export function problemPage(frame: Omit<PageFrame, 'title'>, problem: HttpProblem): Markup {
  return layout(
    { ...frame, title: problem.title },
    html`<section class="problem" role="alert" data-status="${problem.status}">
  <p>${problem.detail}</p>
  <p class="status">HTTP ${problem.status}</p>
  ${frame.viewer ? html`<p><a href="${frame.base}/usage">Back to my usage</a></p>` : ''}
</section>`,
  );
}
