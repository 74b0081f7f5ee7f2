/** TODO(skeleton): the Runs page. */
import type { PageProps } from './page';

export function RunsPage(_p: PageProps) {
  return (
    <div class="page-head">
      <h1>Runs</h1>
    </div>
  );
}
