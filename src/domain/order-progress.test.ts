import { describe, expect, it } from 'vitest';
import { createOrderProgress, orderStage } from './order-progress';

describe('order progress', () => {
  it('a market order acknowledged as filled: the venue\'s later "new" and "fill" reports are not news', () => {
    const p = createOrderProgress();
    expect(p.advances('a', 'filled', 5)).toBe(true); // the acknowledgement
    expect(p.advances('a', 'new', 0)).toBe(false);
    expect(p.advances('a', 'filled', 5)).toBe(false);
  });

  it('a resting order moves forward through partial fills to a final status', () => {
    const p = createOrderProgress();
    expect(p.advances('b', 'new', 0)).toBe(true);
    expect(p.advances('b', 'accepted', 0)).toBe(false); // the same stage
    expect(p.advances('b', 'partially_filled', 3)).toBe(true);
    expect(p.advances('b', 'partially_filled', 7)).toBe(true); // more shares filled
    expect(p.advances('b', 'partially_filled', 7)).toBe(false);
    expect(p.advances('b', 'canceled', 7)).toBe(true);
    expect(p.advances('b', 'partially_filled', 7)).toBe(false);
  });

  it('keeps the most recent orders only; a forgotten one is news again', () => {
    const p = createOrderProgress(2);
    p.advances('x', 'filled', 1);
    p.advances('y', 'filled', 1);
    p.advances('z', 'filled', 1);
    expect(p.size()).toBe(2);
    expect(p.advances('y', 'filled', 1)).toBe(false);
    expect(p.advances('x', 'filled', 1)).toBe(true);
  });

  it('ranks statuses by stage of life', () => {
    expect(orderStage('pending_new')).toBeLessThan(orderStage('new'));
    expect(orderStage('new')).toBe(orderStage('accepted'));
    expect(orderStage('partially_filled')).toBeLessThan(orderStage('rejected'));
  });
});
