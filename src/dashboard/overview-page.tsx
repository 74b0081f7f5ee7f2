/** TODO(skeleton): the Overview page. */
import type { PageProps } from './page';

export function OverviewPage(_p: PageProps) {
  return (
    <div class="page-head">
      <h1>Overview</h1>
    </div>
  );
}
