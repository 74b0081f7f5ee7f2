/** TODO(skeleton): the Market page. */
import type { PageProps } from './page';

export function MarketPage(_p: PageProps) {
  return (
    <div class="page-head">
      <h1>Market</h1>
    </div>
  );
}
