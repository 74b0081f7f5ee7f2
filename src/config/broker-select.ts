/**
 * Which broker the execution service builds, decided once from the config
 * and refused loudly when it would be unsafe: live trading (real money) needs
 * BROKER=alpaca, TRADING_MODE=live and ALPACA_LIVE_CONFIRM=I_UNDERSTAND all
 * three, and a paper run must not point at Alpaca's live host (nor a live run
 * at the paper host). Every problem is reported at once, each naming the
 * environment variable that fixes it. Key values never appear in messages.
 */
import { QuantError } from '../domain/errors';
import type { Config } from './schema';

/** The exact value ALPACA_LIVE_CONFIRM must have before anything trades real money. */
export const LIVE_CONFIRMATION = 'I_UNDERSTAND';

export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_LIVE_URL = 'https://api.alpaca.markets';
const LIVE_HOST = 'api.alpaca.markets';
const PAPER_HOST = 'paper-api.alpaca.markets';

/** What to build; the `alpaca` branch is also a valid `AlpacaBrokerOptions` (src/adapters/broker/alpaca.ts). */
export type BrokerSelection =
  | { kind: 'paper'; mode: 'paper' }
  | { kind: 'alpaca'; mode: 'paper' | 'live'; baseUrl: string; streamUrl: string; keyId: string; secretKey: string };

/** The broker settings are unusable or unsafe; starting anyway would be wrong, so it is never retryable. */
export class BrokerConfigError extends QuantError {
  readonly type = 'BrokerConfig';
  readonly retryable = false;
  constructor(readonly problems: string[]) {
    super(`refusing to start the broker:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BrokerConfigError';
  }
}

/** `https://host/path` -> `wss://host/stream` (Alpaca serves trade_updates at /stream of the REST host). */
export function defaultStreamUrl(baseUrl: string): string {
  const u = new URL(baseUrl);
  u.protocol = u.protocol === 'http:' ? 'ws:' : 'wss:';
  u.pathname = '/stream';
  u.search = '';
  return u.toString();
}

/**
 * Decide the broker, or throw one BrokerConfigError listing every problem.
 *
 * @example
 *   const sel = selectBroker(loadConfig());
 *   // { kind: 'paper', mode: 'paper' } by default
 *   console.log(describeBrokerSelection(sel));
 */
export function selectBroker(config: Pick<Config, 'broker' | 'alpaca'>): BrokerSelection {
  const { broker, alpaca } = config;
  const problems: string[] = [];
  const live = broker.tradingMode === 'live';
  if (broker.kind === 'paper') {
    if (live) problems.push('TRADING_MODE=live needs BROKER=alpaca: the local paper broker is a simulation and cannot trade live');
    if (problems.length > 0) throw new BrokerConfigError(problems);
    return { kind: 'paper', mode: 'paper' };
  }

  if (!alpaca.apiKey) problems.push('BROKER=alpaca needs ALPACA_API_KEY (the key id)');
  if (!alpaca.secretKey) problems.push('BROKER=alpaca needs ALPACA_SECRET_KEY');
  if (live && alpaca.liveConfirm !== LIVE_CONFIRMATION) {
    problems.push(
      `TRADING_MODE=live trades real money and is refused unless ALPACA_LIVE_CONFIRM=${LIVE_CONFIRMATION} is set` +
        (alpaca.liveConfirm ? ' (it is set, to another value)' : ' (it is not set)') +
        '; use TRADING_MODE=paper to trade on the paper account',
    );
  }
  const baseUrl = alpaca.baseUrl ?? (live ? ALPACA_LIVE_URL : ALPACA_PAPER_URL);
  const streamUrl = alpaca.streamUrl ?? defaultStreamUrl(baseUrl);
  for (const [name, url] of [
    ['ALPACA_BASE_URL', baseUrl],
    ['ALPACA_STREAM_URL', streamUrl],
  ] as const) {
    const host = new URL(url).hostname;
    if (!live && host === LIVE_HOST)
      problems.push(
        `${name} points at the live venue (${host}) but TRADING_MODE is paper; set TRADING_MODE=live (with ALPACA_LIVE_CONFIRM) or use ${PAPER_HOST}`,
      );
    if (live && host === PAPER_HOST)
      problems.push(`${name} points at the paper venue (${host}) but TRADING_MODE is live; unset it or use ${LIVE_HOST}`);
  }
  if (problems.length > 0) throw new BrokerConfigError(problems);
  return { kind: 'alpaca', mode: broker.tradingMode, baseUrl, streamUrl, keyId: alpaca.apiKey!, secretKey: alpaca.secretKey! };
}

/** One line for the start-up log: which venue, which mode, which URL; never the keys. */
export function describeBrokerSelection(sel: BrokerSelection): string {
  return sel.kind === 'paper'
    ? 'broker: local paper venue (simulated)'
    : `broker: alpaca ${sel.mode.toUpperCase()} at ${sel.baseUrl} (stream ${sel.streamUrl})`;
}
