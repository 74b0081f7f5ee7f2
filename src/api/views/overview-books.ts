/**
 * The Overview of one book, assembled from its reads: the daily pipeline's
 * book from its snapshots and the monitor's figures (WF4, WF5), an
 * execution book from its fills marked at intraday bar closes (it has no
 * daily snapshots). Which books exist is what has data.
 */
import { createIntradayRepo } from '../../adapters/postgres/intraday-repo';
import type { Db } from '../../adapters/postgres/pool';
import { createStrategyBookRepo } from '../../adapters/postgres/strategy-book-repo';
import { newYorkClock, sessionBarStarts } from '../../domain/intraday-bars';
import { previousSession } from '../../domain/intraday-window';
import { BAR_INTERVAL_MS } from '../../domain/strategies/types';
import type { Mark } from '../../domain/strategy-book/book';
import { liveBook } from '../../domain/strategy-book/books';
import { tradingDays } from '../../domain/trading-calendar';
import { createOverviewReads, type AlertLine } from './overview-data';
import {
  bookHoldings,
  describeBook,
  executionCurve,
  fillMarks,
  periodPnl,
  PIPELINE_BOOK,
  replayDateOf,
  sectorExposure,
  sessionMarks,
  withDrawdown,
  type BookKind,
  type CurvePoint,
  type SectorExposure,
} from './overview-shape';

/** Sessions an execution book's curve spans at most (78 marks each at 5 minutes). */
const MAX_SESSIONS = 20;

export interface BookChoice {
  id: string;
  label: string;
  kind: BookKind;
}

export interface BookOverview {
  book: string;
  label: string;
  kind: BookKind;
  /** The snapshot date (pipeline) or the last mark (ISO instant) the figures are as of; null without data. */
  asOf: string | null;
  curve: { interval: 'day' | 'intraday'; basis: 'equity' | 'pnl'; points: CurvePoint[] };
  totalValue: number | null;
  cash: number | null;
  positionsValue: number | null;
  pnl: {
    date: string | null;
    day: number | null;
    mtd: number | null;
    ytd: number | null;
    dayReturn: number | null;
    mtdReturn: number | null;
    ytdReturn: number | null;
  };
  sectors: SectorExposure[];
  alerts: AlertLine[];
  /** What the figures are, where that is not obvious (before fees, marked at fill prices). */
  notes: string[];
}

export function createOverviewBooks(db: Db, executionAccount: string) {
  const reads = createOverviewReads(db);
  const fillsOf = createStrategyBookRepo(db).fills;
  const bars = createIntradayRepo(db);
  const live = liveBook(executionAccount).name;

  /** The daily pipeline (when it has run), the live strategies' book, then the other books, latest activity first. */
  async function books(): Promise<BookChoice[]> {
    const [pipeline, execution] = await Promise.all([reads.hasPipeline(), reads.executionBooks()]);
    const ordered = execution.sort((a, b) => Number(b.book === live) - Number(a.book === live) || b.latest - a.latest);
    return [...(pipeline ? [PIPELINE_BOOK] : []), ...ordered.map((b) => b.book)].map((id) => ({
      id,
      ...describeBook(id, executionAccount),
    }));
  }

  async function pipeline(): Promise<BookOverview> {
    const [totals, snapshot, monitoring, alerts] = await Promise.all([
      reads.snapshotTotals(),
      reads.latestSnapshot(),
      reads.latestMonitoring(),
      reads.pipelineAlerts(),
    ]);
    return {
      book: PIPELINE_BOOK,
      ...describeBook(PIPELINE_BOOK, executionAccount),
      asOf: snapshot?.date ?? null,
      curve: { interval: 'day', basis: 'equity', points: withDrawdown(totals.map((t) => ({ time: t.date, value: t.totalValue }))) },
      totalValue: snapshot?.totalValue ?? null,
      cash: snapshot?.cash ?? null,
      positionsValue: snapshot?.positionsValue ?? null,
      pnl: {
        date: monitoring?.runDate ?? null,
        day: monitoring?.dailyPnl ?? null,
        mtd: monitoring?.mtdPnl ?? null,
        ytd: monitoring?.ytdPnl ?? null,
        dayReturn: monitoring?.dailyReturn ?? null,
        mtdReturn: monitoring?.mtdReturn ?? null,
        ytdReturn: monitoring?.ytdReturn ?? null,
      },
      sectors: snapshot
        ? sectorExposure(
            snapshot.positions.map((p) => ({ sector: p.sector, value: p.marketValue })),
            snapshot.totalValue,
          )
        : [],
      alerts,
      notes: [],
    };
  }

  /**
   * The marks of an execution book: every bar close of its sessions (a replay's one day; a live book's
   * days from its first fill to its latest bar or fill, the last MAX_SESSIONS of them), or its fill
   * instants when its symbols have no intraday bars.
   */
  async function marksOf(book: string, fills: Awaited<ReturnType<typeof fillsOf>>): Promise<{ marks: Mark[]; note: string }> {
    const symbols = [...new Set(fills.map((f) => f.symbol))];
    const found = await reads.markInterval(symbols);
    if (found && fills.length > 0) {
      const { interval, latest } = found;
      const replayed = replayDateOf(book);
      const lastDay = replayed ?? [newYorkClock(latest).date, newYorkClock(fills.at(-1)!.at).date].sort().at(-1)!;
      const sessions = tradingDays(replayed ?? newYorkClock(fills[0]!.at).date, lastDay).slice(-MAX_SESSIONS);
      if (sessions.length > 0) {
        const from = sessionBarStarts(previousSession(sessions[0]!), interval)[0]!;
        const to = sessionBarStarts(sessions.at(-1)!, interval).at(-1)! + BAR_INTERVAL_MS[interval];
        const list = await bars.barsBetween(symbols, from, to, interval);
        const marks = sessionMarks(sessions, list, interval, latest + BAR_INTERVAL_MS[interval]);
        if (marks.length > 0) return { marks, note: `marked at each ${interval} bar close (New York time)` };
      }
    }
    return { marks: fillMarks(fills), note: 'marked at its fill prices (its symbols have no intraday bars)' };
  }

  async function execution(book: string): Promise<BookOverview> {
    const [fills, startingCash, days, alerts] = await Promise.all([
      fillsOf(book, Date.now()),
      reads.startingCash(book),
      reads.dayTotals(book),
      reads.bookAlerts(book),
    ]);
    const { marks, note } = await marksOf(book, fills);
    const last = marks.at(-1);
    const { cash, holdings } = bookHoldings(fills, last?.at ?? Date.now(), last?.prices ?? new Map(), startingCash);
    const positionsValue = holdings.reduce((s, h) => s + h.value, 0);
    const totalValue = cash === null ? null : cash + positionsValue;
    const sectorOf = await reads.sectors(holdings.map((h) => h.symbol));
    const gross = holdings.reduce((s, h) => s + Math.abs(h.value), 0);
    const pnl = periodPnl(days);
    return {
      book,
      ...describeBook(book, executionAccount),
      asOf: last ? new Date(last.at).toISOString() : null,
      curve: { interval: 'intraday', basis: startingCash === null ? 'pnl' : 'equity', points: executionCurve(fills, marks, startingCash) },
      totalValue,
      cash,
      positionsValue,
      pnl: { ...pnl, dayReturn: null, mtdReturn: null, ytdReturn: null },
      sectors: sectorExposure(
        holdings.map((h) => ({ sector: sectorOf.get(h.symbol), value: h.value })),
        totalValue ?? gross,
      ),
      alerts,
      notes: [
        `Rebuilt from the book's fills before fees, ${note}.`,
        ...(startingCash === null ? ['Its account is not a paper account here: the curve is its P&L, without cash or drawdown.'] : []),
        'P&L of the day, month and year: the end-of-day results (– before the first).',
      ],
    };
  }

  return {
    books,
    /** One book's overview, or null for a book without data. */
    async overview(book: string): Promise<BookOverview | null> {
      if (!(await books()).some((b) => b.id === book)) return null;
      return book === PIPELINE_BOOK ? pipeline() : execution(book);
    },
  };
}
