/**
 * The contract universe of the hourly fan-out dataset: 418 S&P 500 tickers
 * (public symbols, of 2000-2013 and of today) with their GICS sector, and the
 * 49-name universe of the daily pipeline, which opens the list. Beyond the
 * first 49 the names alternate between sectors, so any prefix of the list
 * (`--contracts N`) is spread across the market. Sector names are the eleven
 * GICS sectors as the daily pipeline spells them.
 */

export const SECTORS = [
  'Technology',
  'Consumer Discretionary',
  'Financials',
  'Healthcare',
  'Industrials',
  'Consumer Staples',
  'Energy',
  'Communication Services',
  'Utilities',
  'Real Estate',
  'Materials',
] as const;

export type Sector = (typeof SECTORS)[number];

export interface Contract {
  symbol: string;
  sector: Sector;
}

const TECH: Sector = 'Technology';
const DISC: Sector = 'Consumer Discretionary';
const FIN: Sector = 'Financials';
const HLTH: Sector = 'Healthcare';
const IND: Sector = 'Industrials';
const STAP: Sector = 'Consumer Staples';
const ENGY: Sector = 'Energy';
const COMM: Sector = 'Communication Services';
const UTIL: Sector = 'Utilities';
const REIT: Sector = 'Real Estate';
const MATL: Sector = 'Materials';

const group = (sector: Sector, symbols: string): Contract[] => symbols.split(' ').map((symbol) => ({ symbol, sector }));

/** The 49 names of the daily pipeline (issue 5), by sector. */
export const DAILY_UNIVERSE: readonly Contract[] = Object.freeze([
  ...group(TECH, 'AAPL MSFT GOOGL NVDA META AVGO ADBE CRM CSCO INTC'),
  ...group(DISC, 'AMZN TSLA HD MCD NKE'),
  ...group(FIN, 'JPM V BAC GS MS BLK'),
  ...group(HLTH, 'JNJ UNH PFE ABT TMO'),
  ...group(IND, 'CAT HON UPS RTX'),
  ...group(STAP, 'PG KO PEP WMT'),
  ...group(ENGY, 'XOM CVX COP'),
  ...group(COMM, 'NFLX DIS CMCSA'),
  ...group(UTIL, 'NEE DUK SO'),
  ...group(REIT, 'AMT PLD CCI'),
  ...group(MATL, 'LIN APD SHW'),
]);

const MORE: [string, Sector][] = [
  ['ORCL', TECH], ['LOW', DISC], ['WFC', FIN], ['LLY', HLTH], ['GE', IND], ['COST', STAP], ['SLB', ENGY], ['T', COMM],
  ['D', UTIL], ['EQIX', REIT], ['ECL', MATL], ['IBM', TECH], ['SBUX', DISC], ['C', FIN], ['MRK', HLTH], ['BA', IND],
  ['PM', STAP], ['EOG', ENGY], ['VZ', COMM], ['AEP', UTIL], ['PSA', REIT], ['DD', MATL], ['QCOM', TECH], ['TJX', DISC],
  ['SCHW', FIN], ['ABBV', HLTH], ['LMT', IND], ['MO', STAP], ['OXY', ENGY], ['TMUS', COMM], ['EXC', UTIL], ['SPG', REIT],
  ['DOW', MATL], ['TXN', TECH], ['BKNG', DISC], ['AXP', FIN], ['DHR', HLTH], ['NOC', IND], ['MDLZ', STAP], ['PSX', ENGY],
  ['CHTR', COMM], ['SRE', UTIL], ['O', REIT], ['NEM', MATL], ['AMD', TECH], ['ORLY', DISC], ['SPGI', FIN], ['BMY', HLTH],
  ['GD', IND], ['CL', STAP], ['VLO', ENGY], ['EA', COMM], ['XEL', UTIL], ['WELL', REIT], ['FCX', MATL], ['AMAT', TECH],
  ['AZO', DISC], ['MCO', FIN], ['AMGN', HLTH], ['DE', IND], ['KMB', STAP], ['MPC', ENGY], ['TTWO', COMM], ['ED', UTIL],
  ['DLR', REIT], ['NUE', MATL], ['MU', TECH], ['ROST', DISC], ['CB', FIN], ['GILD', HLTH], ['MMM', IND], ['GIS', STAP],
  ['HAL', ENGY], ['OMC', COMM], ['PEG', UTIL], ['AVB', REIT], ['STLD', MATL], ['ADI', TECH], ['MAR', DISC], ['PGR', FIN],
  ['CVS', HLTH], ['UNP', IND], ['K', STAP], ['BKR', ENGY], ['IPG', COMM], ['WEC', UTIL], ['EQR', REIT], ['PPG', MATL],
  ['LRCX', TECH], ['HLT', DISC], ['MMC', FIN], ['CI', HLTH], ['CSX', IND], ['HSY', STAP], ['KMI', ENGY], ['NWSA', COMM],
  ['ES', UTIL], ['VTR', REIT], ['IFF', MATL], ['KLAC', TECH], ['GM', DISC], ['AON', FIN], ['ELV', HLTH], ['NSC', IND],
  ['SYY', STAP], ['WMB', ENGY], ['NWS', COMM], ['EIX', UTIL], ['ESS', REIT], ['ALB', MATL], ['INTU', TECH], ['F', DISC],
  ['ICE', FIN], ['HUM', HLTH], ['FDX', IND], ['KR', STAP], ['OKE', ENGY], ['FOXA', COMM], ['ETR', UTIL], ['MAA', REIT],
  ['CE', MATL], ['NOW', TECH], ['CMG', DISC], ['CME', FIN], ['CNC', HLTH], ['ETN', IND], ['STZ', STAP], ['DVN', ENGY],
  ['DTE', UTIL], ['UDR', REIT], ['EMN', MATL], ['ACN', TECH], ['YUM', DISC], ['PNC', FIN], ['MDT', HLTH], ['EMR', IND],
  ['TAP', STAP], ['HES', ENGY], ['AEE', UTIL], ['CPT', REIT], ['LYB', MATL], ['ADSK', TECH], ['DHI', DISC], ['USB', FIN],
  ['SYK', HLTH], ['ITW', IND], ['KHC', STAP], ['FANG', ENGY], ['CMS', UTIL], ['ARE', REIT], ['MLM', MATL], ['ANET', TECH],
  ['LEN', DISC], ['TFC', FIN], ['BSX', HLTH], ['PH', IND], ['CPB', STAP], ['CTRA', ENGY], ['CNP', UTIL], ['BXP', REIT],
  ['VMC', MATL], ['APH', TECH], ['PHM', DISC], ['COF', FIN], ['ISRG', HLTH], ['ROK', IND], ['CAG', STAP], ['APA', ENGY],
  ['FE', UTIL], ['HST', REIT], ['BALL', MATL], ['CDNS', TECH], ['NVR', DISC], ['MET', FIN], ['EW', HLTH], ['CMI', IND],
  ['SJM', STAP], ['PPL', UTIL], ['KIM', REIT], ['AMCR', MATL], ['SNPS', TECH], ['EBAY', DISC], ['PRU', FIN], ['ZBH', HLTH],
  ['PCAR', IND], ['HRL', STAP], ['NI', UTIL], ['REG', REIT], ['PKG', MATL], ['FTNT', TECH], ['BBY', DISC], ['AIG', FIN],
  ['BDX', HLTH], ['WM', IND], ['MKC', STAP], ['LNT', UTIL], ['FRT', REIT], ['IP', MATL], ['MCHP', TECH], ['TSCO', DISC],
  ['AFL', FIN], ['BAX', HLTH], ['RSG', IND], ['CLX', STAP], ['EVRG', UTIL], ['EXR', REIT], ['MSI', TECH], ['ULTA', DISC],
  ['ALL', FIN], ['ZTS', HLTH], ['CTAS', IND], ['CHD', STAP], ['ATO', UTIL], ['IRM', REIT], ['NXPI', TECH], ['DRI', DISC],
  ['TRV', FIN], ['REGN', HLTH], ['FAST', IND], ['EL', STAP], ['PNW', UTIL], ['WY', REIT], ['ON', TECH], ['POOL', DISC],
  ['BK', FIN], ['VRTX', HLTH], ['GWW', IND], ['ADM', STAP], ['AES', UTIL], ['SBAC', REIT], ['PANW', TECH], ['GPC', DISC],
  ['STT', FIN], ['BIIB', HLTH], ['URI', IND], ['BG', STAP], ['ROP', TECH], ['LKQ', DISC], ['NTRS', FIN], ['MRNA', HLTH],
  ['JCI', IND], ['TSN', STAP], ['TEL', TECH], ['KMX', DISC], ['FITB', FIN], ['IQV', HLTH], ['CARR', IND], ['KDP', STAP],
  ['GLW', TECH], ['APTV', DISC], ['RF', FIN], ['A', HLTH], ['OTIS', IND], ['MNST', STAP], ['HPQ', TECH], ['BWA', DISC],
  ['KEY', FIN], ['WAT', HLTH], ['TT', IND], ['HPE', TECH], ['HAS', DISC], ['HBAN', FIN], ['MTD', HLTH], ['LHX', IND],
  ['IT', TECH], ['MGM', DISC], ['CFG', FIN], ['ILMN', HLTH], ['TXT', IND], ['KEYS', TECH], ['WYNN', DISC], ['MTB', FIN],
  ['DXCM', HLTH], ['HII', IND], ['NTAP', TECH], ['LVS', DISC], ['DFS', FIN], ['IDXX', HLTH], ['TDG', IND], ['STX', TECH],
  ['CZR', DISC], ['SYF', FIN], ['RMD', HLTH], ['HWM', IND], ['WDC', TECH], ['RCL', DISC], ['AMP', FIN], ['ALGN', HLTH],
  ['AME', IND], ['ZBRA', TECH], ['CCL', DISC], ['TROW', FIN], ['HOLX', HLTH], ['DOV', IND], ['TER', TECH], ['NCLH', DISC],
  ['BEN', FIN], ['COO', HLTH], ['XYL', IND], ['SWKS', TECH], ['EXPE', DISC], ['IVZ', FIN], ['STE', HLTH], ['IEX', IND],
  ['QRVO', TECH], ['L', FIN], ['TFX', HLTH], ['NDSN', IND], ['AKAM', TECH], ['CINF', FIN], ['HCA', HLTH], ['SNA', IND],
  ['FFIV', TECH], ['HIG', FIN], ['UHS', HLTH], ['SWK', IND], ['JNPR', TECH], ['PFG', FIN], ['DVA', HLTH], ['PNR', IND],
  ['GEN', TECH], ['GL', FIN], ['LH', HLTH], ['MAS', IND], ['TYL', TECH], ['AIZ', FIN], ['DGX', HLTH], ['AOS', IND],
  ['PTC', TECH], ['WRB', FIN], ['CAH', HLTH], ['ALLE', IND], ['ANSS', TECH], ['BRO', FIN], ['MCK', HLTH], ['J', IND],
  ['CDW', TECH], ['AJG', FIN], ['COR', HLTH], ['PWR', IND], ['CTSH', TECH], ['RJF', FIN], ['HSIC', HLTH], ['EFX', IND],
  ['EPAM', TECH], ['NDAQ', FIN], ['VRSK', IND], ['FICO', TECH], ['CBOE', FIN], ['CPRT', IND], ['FSLR', TECH], ['MSCI', FIN],
  ['ODFL', IND], ['FDS', FIN], ['JBHT', IND], ['MA', FIN], ['CHRW', IND], ['PYPL', FIN], ['EXPD', IND], ['FIS', FIN],
  ['DAL', IND], ['UAL', IND], ['LUV', IND], ['AAL', IND], ['ALK', IND], ['ADP', IND], ['PAYX', IND], ['PAYC', IND],
  ['LDOS', IND],
];

/** All 418 contracts: the daily universe first, then the rest. */
export const HOURLY_UNIVERSE: readonly Contract[] = Object.freeze([...DAILY_UNIVERSE, ...MORE.map(([symbol, sector]) => ({ symbol, sector }))]);

export const HOURLY_UNIVERSE_SIZE = 418;

/**
 * The first `n` contracts. Past the 418 real names (the 2,500-contract scale
 * test) synthetic names `Z00419`, `Z00420`, ... follow, sectors in rotation.
 *
 * @example
 *   universeOf(3).map((c) => c.symbol); // ['AAPL', 'MSFT', 'GOOGL']
 */
export function universeOf(n: number, base: readonly Contract[] = HOURLY_UNIVERSE): Contract[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`contract count must be a positive integer, got ${n}`);
  const out = base.slice(0, n);
  for (let i = out.length; i < n; i++) out.push({ symbol: `Z${String(i + 1).padStart(5, '0')}`, sector: SECTORS[i % SECTORS.length] });
  return out;
}
