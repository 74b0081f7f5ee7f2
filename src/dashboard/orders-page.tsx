/**
 * Orders and positions, live: both tables load over HTTP, and every event on
 * the WebSocket (order, fill, position) reloads them, a few events at a time
 * (the stream sends at most ten frames a second). Reloading instead of
 * patching rows from events keeps one source of truth: the service's answer.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { LoadError, type PageProps } from './page';
import { api, ApiError, liveEvents, type Order, type Position } from './client';
import { count, money, signedMoney, when } from './format';

/** Statuses an order can still be cancelled in. */
const OPEN = new Set(['pending_new', 'new', 'accepted', 'partially_filled', 'held']);

export function OrdersPage({ apiKey, onUnauthorized }: PageProps) {
  const [positions, setPositions] = useState<Position[] | null>(null);
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const loading = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  const load = useCallback(async (): Promise<void> => {
    // One load at a time; events during a load ask for one more after it.
    if (loading.current) {
      again.current = true;
      return loading.current;
    }
    const run = async () => {
      try {
        const [p, o] = await Promise.all([api<Position[]>(apiKey, 'GET', '/positions'), api<Order[]>(apiKey, 'GET', '/orders?limit=100')]);
        setPositions(p);
        setOrders(o);
        setError(null);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) onUnauthorized();
        else setError(`Could not load: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    loading.current = run().finally(() => {
      loading.current = null;
      if (again.current) {
        again.current = false;
        void load();
      }
    });
    return loading.current;
  }, [apiKey, onUnauthorized]);

  useEffect(() => {
    void load();
    return liveEvents(apiKey, { onEvents: () => void load(), onOpen: () => void load(), onState: setLive });
  }, [apiKey, load]);

  const cancel = async (o: Order) => {
    if (!window.confirm(`Cancel order ${o.id}: ${o.side} ${count(o.qty)} ${o.symbol}?`)) return;
    try {
      await api(apiKey, 'DELETE', `/orders/${o.id}`);
      setNotice(`Cancel requested for order ${o.id}.`);
    } catch (err) {
      setNotice(`Order ${o.id} was not cancelled: ${err instanceof Error ? err.message : String(err)}`);
    }
    void load();
  };

  return (
    <>
      <div class="page-head">
        <h1>Orders &amp; positions</h1>
        <span class={live ? 'badge live' : 'badge'} role="status">
          {live ? 'Live' : 'Connecting…'}
        </span>
      </div>
      <LoadError error={error} />
      <p class="notice" role="status" aria-live="polite">
        {notice}
      </p>
      <section aria-labelledby="positions-title">
        <h2 id="positions-title">Positions</h2>
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="positions-title">
          <table id="positions">
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col" class="num">
                  Qty
                </th>
                <th scope="col" class="num">
                  Avg entry
                </th>
                <th scope="col" class="num">
                  Price
                </th>
                <th scope="col" class="num">
                  Value
                </th>
                <th scope="col" class="num">
                  Unrealised P&amp;L
                </th>
              </tr>
            </thead>
            <tbody>
              {positions?.map((p) => (
                <tr key={p.symbol} data-symbol={p.symbol}>
                  <th scope="row">{p.symbol}</th>
                  <td class="num">{count(p.qty)}</td>
                  <td class="num">{money(p.avg_entry_price)}</td>
                  <td class="num">{money(p.current_price)}</td>
                  <td class="num">{money(p.market_value)}</td>
                  <td class={`num ${p.unrealized_pl < 0 ? 'neg' : ''}`}>{signedMoney(p.unrealized_pl)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {positions?.length === 0 && <p class="empty">No open positions.</p>}
        </div>
      </section>
      <section aria-labelledby="orders-title">
        <h2 id="orders-title">Orders</h2>
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="orders-title">
          <table id="orders">
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col">Side</th>
                <th scope="col" class="num">
                  Qty
                </th>
                <th scope="col" class="num">
                  Filled
                </th>
                <th scope="col" class="num">
                  Avg price
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
                <th scope="col">Time</th>
                <th scope="col">Strategy</th>
                <th scope="col">Id</th>
              </tr>
            </thead>
            <tbody>
              {orders?.map((o) => (
                <tr key={o.id} data-order-id={o.id}>
                  <th scope="row">{o.symbol}</th>
                  <td class={o.side}>{o.side}</td>
                  <td class="num">{count(o.qty)}</td>
                  <td class="num">{count(o.filled_qty)}</td>
                  <td class="num">{money(o.filled_avg_price)}</td>
                  <td class="status">{o.status}</td>
                  <td>
                    {OPEN.has(o.status) && (
                      <button type="button" onClick={() => void cancel(o)} aria-label={`Cancel order ${o.id}`}>
                        Cancel
                      </button>
                    )}
                  </td>
                  <td>{when(o.submitted_at)}</td>
                  <td>{o.strategy_id}</td>
                  <td>{o.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {orders?.length === 0 && <p class="empty">No orders yet.</p>}
        </div>
      </section>
    </>
  );
}
