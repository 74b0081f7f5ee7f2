/** Broker selection: paper by default, Alpaca with keys, live only with the confirmation, and every refusal says why and what to set. */
import { describe, expect, it } from 'vitest';
import { loadConfig, redactConfig } from './load';
import { BrokerConfigError, describeBrokerSelection, selectBroker } from './broker-select';

const KEYS = { ALPACA_API_KEY: 'PKTESTKEYID1234', ALPACA_SECRET_KEY: 'sEcReT-value-5678' };

function refusal(env: Record<string, string>): BrokerConfigError {
  try {
    selectBroker(loadConfig(env));
  } catch (e) {
    expect(e).toBeInstanceOf(BrokerConfigError);
    expect((e as BrokerConfigError).retryable).toBe(false);
    return e as BrokerConfigError;
  }
  throw new Error(`expected a refusal for ${JSON.stringify(Object.keys(env))}`);
}

describe('selectBroker', () => {
  it('builds the local paper broker by default', () => {
    expect(selectBroker(loadConfig({}))).toEqual({ kind: 'paper', mode: 'paper' });
  });

  it('builds Alpaca paper with the paper URL and its /stream by default', () => {
    const sel = selectBroker(loadConfig({ BROKER: 'alpaca', ...KEYS }));
    expect(sel).toEqual({
      kind: 'alpaca',
      mode: 'paper',
      baseUrl: 'https://paper-api.alpaca.markets',
      streamUrl: 'wss://paper-api.alpaca.markets/stream',
      keyId: KEYS.ALPACA_API_KEY,
      secretKey: KEYS.ALPACA_SECRET_KEY,
    });
    expect(describeBrokerSelection(sel)).not.toContain(KEYS.ALPACA_SECRET_KEY);
    expect(describeBrokerSelection(sel)).not.toContain(KEYS.ALPACA_API_KEY);
  });

  it('refuses live mode without the confirmation, saying why and what to set', () => {
    const err = refusal({ BROKER: 'alpaca', TRADING_MODE: 'live', ...KEYS });
    expect(err.problems).toHaveLength(1);
    expect(err.message).toMatch(/real money/);
    expect(err.message).toContain('ALPACA_LIVE_CONFIRM=I_UNDERSTAND');
    expect(err.message).toContain('not set');
    expect(refusal({ BROKER: 'alpaca', TRADING_MODE: 'live', ALPACA_LIVE_CONFIRM: 'yes', ...KEYS }).message).toContain('another value');
  });

  it('builds Alpaca live with the live URL once confirmed', () => {
    const sel = selectBroker(loadConfig({ BROKER: 'alpaca', TRADING_MODE: 'live', ALPACA_LIVE_CONFIRM: 'I_UNDERSTAND', ...KEYS }));
    expect(sel).toMatchObject({
      kind: 'alpaca',
      mode: 'live',
      baseUrl: 'https://api.alpaca.markets',
      streamUrl: 'wss://api.alpaca.markets/stream',
    });
    expect(describeBrokerSelection(sel)).toMatch(/LIVE/);
  });

  it('refuses a paper run pointed at the live host, and a live run pointed at the paper host', () => {
    const paperAtLive = refusal({ BROKER: 'alpaca', ALPACA_BASE_URL: 'https://api.alpaca.markets', ...KEYS });
    expect(paperAtLive.problems).toHaveLength(2); // the base URL and the stream URL derived from it
    expect(paperAtLive.message).toMatch(/ALPACA_BASE_URL points at the live venue/);
    const liveAtPaper = refusal({
      BROKER: 'alpaca',
      TRADING_MODE: 'live',
      ALPACA_LIVE_CONFIRM: 'I_UNDERSTAND',
      ALPACA_BASE_URL: 'https://paper-api.alpaca.markets',
      ...KEYS,
    });
    expect(liveAtPaper.message).toMatch(/points at the paper venue/);
  });

  it('accepts a loopback URL (the test server) and derives ws:// for http://', () => {
    const sel = selectBroker(loadConfig({ BROKER: 'alpaca', ALPACA_BASE_URL: 'http://127.0.0.1:40123', ...KEYS }));
    expect(sel).toMatchObject({ baseUrl: 'http://127.0.0.1:40123', streamUrl: 'ws://127.0.0.1:40123/stream' });
  });

  it('lists every problem at once: missing keys and missing confirmation', () => {
    const err = refusal({ BROKER: 'alpaca', TRADING_MODE: 'live' });
    expect(err.problems).toHaveLength(3);
    expect(err.message).toContain('ALPACA_API_KEY');
    expect(err.message).toContain('ALPACA_SECRET_KEY');
    expect(err.message).toContain('ALPACA_LIVE_CONFIRM');
  });

  it('refuses live mode on the local paper broker', () => {
    expect(refusal({ TRADING_MODE: 'live' }).message).toMatch(/needs BROKER=alpaca/);
  });

  it('rejects unknown kinds and modes in the config itself, naming the env variable', () => {
    expect(() => loadConfig({ BROKER: 'ib', TRADING_MODE: 'real' })).toThrowError(
      /broker\.kind \(BROKER\)[\s\S]*broker\.tradingMode \(TRADING_MODE\)/,
    );
  });

  it('treats the Alpaca keys as secrets: redacted from the printed config', () => {
    const text = JSON.stringify(redactConfig(loadConfig({ BROKER: 'alpaca', ...KEYS })));
    expect(text).not.toContain(KEYS.ALPACA_API_KEY);
    expect(text).not.toContain(KEYS.ALPACA_SECRET_KEY);
  });
});
