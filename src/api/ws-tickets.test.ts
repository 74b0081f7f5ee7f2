/** One-time WebSocket tickets: each opens once, within its time, and only when offered as `ticket.<t>`. */
import { describe, expect, it } from 'vitest';
import { createWsTickets } from './ws-tickets';

describe('createWsTickets', () => {
  it('redeems a ticket once, offered as a subprotocol beside quant.v1', () => {
    const t = createWsTickets();
    const { ticket } = t.issue();
    expect(t.redeem(`quant.v1, ticket.${ticket}`)).toBe(true);
    expect(t.redeem(`quant.v1, ticket.${ticket}`)).toBe(false);
  });

  it('refuses an expired, unknown or missing ticket', () => {
    let now = 1_000;
    const t = createWsTickets({ ttlMs: 30_000, now: () => now });
    const { ticket } = t.issue();
    now += 30_000;
    expect(t.redeem(`quant.v1, ticket.${ticket}`)).toBe(false);
    expect(t.redeem('quant.v1, ticket.nope')).toBe(false);
    expect(t.redeem('quant.v1')).toBe(false);
    expect(t.redeem(undefined)).toBe(false);
  });

  it('issues tickets that differ and are valid subprotocol tokens', () => {
    const t = createWsTickets();
    const a = t.issue().ticket;
    const b = t.issue().ticket;
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
