/**
 * Feature rows against an independent computation: TA-Lib 0.8.2 (RSI, MACD,
 * BBANDS, SMA, EMA) and pandas 3.1.1 (volume ratio = volume /
 * volume.shift(1).rolling(20).mean(); volatility =
 * pct_change().rolling(20).std(ddof=1) * sqrt(252); %b = (close - lower) /
 * (upper - lower)) on the same deterministic series, computed by hand and
 * recorded below by bar index (None -> null):
 *
 *   i = np.arange(260); close = 100 * np.cumprod(1 + 0.01 * np.sin(0.7 i) + 0.003 * np.cos(1.3 i))
 *   volume = 1e6 + 2e5 * np.sin(0.37 i)
 */
import { describe, expect, it } from 'vitest';
import { addDays } from './dates';
import { DomainInputError } from './errors';
import { DAILY_FEATURE_SET, featureLookback, featureRows, type FeatureBar } from './features';

const REFERENCE: Record<string, Record<string, number | null>> = {
  rsi_14: {
    '13': null,
    '14': 63.36168157176356,
    '19': 51.90271415470716,
    '20': 57.86169598442482,
    '33': 51.041524734904954,
    '199': 50.67455545830557,
    '200': 54.56947410774284,
    '259': 41.481749249060236,
  },
  macd_12_26_9: {
    '13': null,
    '14': null,
    '19': null,
    '20': null,
    '33': 0.11246121971423406,
    '199': -0.16568490385800771,
    '200': -0.06869533836177766,
    '259': -0.04867339585027253,
  },
  macd_signal_12_26_9: {
    '13': null,
    '14': null,
    '19': null,
    '20': null,
    '33': -0.051020642105719896,
    '199': -0.07193041693284223,
    '200': -0.07128340121862932,
    '259': 0.023715218794426167,
  },
  macd_hist_12_26_9: {
    '13': null,
    '14': null,
    '19': null,
    '20': null,
    '33': 0.16348186181995394,
    '199': -0.09375448692516548,
    '200': 0.002588062856851661,
    '259': -0.0723886146446987,
  },
  bb_upper_20_2: {
    '13': null,
    '14': null,
    '19': 103.51410388777917,
    '20': 103.55380339849556,
    '33': 103.62850294535747,
    '199': 103.04176236033906,
    '200': 103.11653106265348,
    '259': 102.83103790652584,
  },
  bb_middle_20_2: {
    '13': null,
    '14': null,
    '19': 101.40800031893983,
    '20': 101.4948730287802,
    '33': 101.53563258546339,
    '199': 100.9525889865582,
    '200': 101.03594593913667,
    '259': 100.75616656835584,
  },
  bb_lower_20_2: {
    '13': null,
    '14': null,
    '19': 99.30189675010048,
    '20': 99.43594265906485,
    '33': 99.44276222556931,
    '199': 98.86341561277733,
    '200': 98.95536081561985,
    '259': 98.68129523018584,
  },
  bb_percent_b_20_2: {
    '13': null,
    '14': null,
    '19': 0.36581532958674423,
    '20': 0.6317628745508472,
    '33': 0.4914106889399489,
    '199': 0.5126158132771494,
    '200': 0.6773995852063143,
    '259': 0.160847445537498,
  },
  sma_20: {
    '13': null,
    '14': null,
    '19': 101.40800031893983,
    '20': 101.4948730287802,
    '33': 101.53563258546339,
    '199': 100.9525889865582,
    '200': 101.03594593913667,
    '259': 100.75616656835584,
  },
  ema_20: {
    '13': null,
    '14': null,
    '19': 101.40800031893983,
    '20': 101.46794830730819,
    '33': 101.68091562061362,
    '199': 100.82915624249169,
    '200': 100.91915429700994,
    '259': 100.85872215997166,
  },
  sma_50: {
    '13': null,
    '14': null,
    '19': null,
    '20': null,
    '33': null,
    '199': 100.97890147147035,
    '200': 100.99129711069826,
    '259': 100.92075806317038,
  },
  ema_50: {
    '13': null,
    '14': null,
    '19': null,
    '20': null,
    '33': null,
    '199': 100.97870520948327,
    '200': 101.00989856655974,
    '259': 100.90159210547027,
  },
  sma_200: {
    '13': null,
    '14': null,
    '19': null,
    '20': null,
    '33': null,
    '199': 101.25374450694822,
    '200': 101.26111518602289,
    '259': 101.08822823824157,
  },
  ema_200: {
    '13': null,
    '14': null,
    '19': null,
    '20': null,
    '33': null,
    '199': 101.25374450694822,
    '200': 101.25892252991325,
    '259': 101.10673128150296,
  },
  volume_ratio_20: {
    '13': null,
    '14': null,
    '19': null,
    '20': 1.1674745609183008,
    '33': 0.9547302797510938,
    '199': 0.8177614792138138,
    '200': 0.8229157359674526,
    '259': 1.174815670861596,
  },
  volatility_20: {
    '13': null,
    '14': null,
    '19': null,
    '20': 0.1230159620904787,
    '33': 0.12124780261830459,
    '199': 0.12141768632817171,
    '200': 0.12357289476277171,
    '259': 0.12217108823190242,
  },
};

const N = 260;
const bars: FeatureBar[] = [];
let close = 100;
for (let i = 0; i < N; i++) {
  close *= 1 + 0.01 * Math.sin(i * 0.7) + 0.003 * Math.cos(i * 1.3);
  bars.push({ date: addDays('2024-01-01', i), close, volume: 1e6 + 2e5 * Math.sin(i * 0.37) });
}

describe('featureRows', () => {
  const rows = featureRows(bars, DAILY_FEATURE_SET.definition);

  it('matches TA-Lib and pandas for every feature, null while an indicator warms up', () => {
    expect(rows).toHaveLength(N);
    for (const [name, byIndex] of Object.entries(REFERENCE))
      for (const [index, expected] of Object.entries(byIndex)) {
        const got = rows[Number(index)].features[name];
        if (expected === null) expect(got, `${name}[${index}]`).toBeNull();
        else expect(got, `${name}[${index}]`).toBeCloseTo(expected, 8);
      }
    expect(Object.keys(rows[0].features).sort()).toEqual(['close', ...Object.keys(REFERENCE)].sort());
  });

  it('starts at fromDate, using the earlier bars to warm up', () => {
    const from = bars[N - 3].date;
    const tail = featureRows(bars, DAILY_FEATURE_SET.definition, from);
    expect(tail.map((r) => r.date)).toEqual(bars.slice(N - 3).map((b) => b.date));
    expect(tail[2].features).toEqual(rows[N - 1].features);
  });

  it('needs featureLookback bars for every feature to have a value', () => {
    const k = featureLookback(DAILY_FEATURE_SET.definition);
    expect(k).toBe(200);
    const last = featureRows(bars.slice(N - k), DAILY_FEATURE_SET.definition).at(-1)!.features;
    expect(Object.entries(last).filter(([, v]) => v === null)).toEqual([]);
    const short = featureRows(bars.slice(N - k + 1), DAILY_FEATURE_SET.definition).at(-1)!.features;
    expect(short.sma_200).toBeNull();
  });

  it('refuses bars out of order and non-positive prices, naming the dates', () => {
    expect(() => featureRows([bars[1], bars[0]], DAILY_FEATURE_SET.definition)).toThrow(DomainInputError);
    expect(() => featureRows([bars[1], bars[0]], DAILY_FEATURE_SET.definition)).toThrow(bars[0].date);
    expect(() => featureRows([{ ...bars[0], close: 0 }], DAILY_FEATURE_SET.definition)).toThrow(/close 0/);
  });
});
