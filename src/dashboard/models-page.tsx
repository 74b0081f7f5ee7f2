/** TODO(skeleton): the Models page. */
import type { PageProps } from './page';

export function ModelsPage(_p: PageProps) {
  return (
    <div class="page-head">
      <h1>Models</h1>
    </div>
  );
}
