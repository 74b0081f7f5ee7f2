/**
 * The notifier port: where alerts go to reach a person. WF5's risk alerts,
 * the model pipeline's underperformers and the execution service's
 * reconciliation halt all send through it. Every alert is also stored with
 * its run (monitoring_runs.alerts, performance_reports.alerts, the halt in
 * trading_state), so a notifier that cannot deliver never loses one: it
 * logs why and the pipeline goes on.
 */
export type AlertSeverity = 'warning' | 'critical';

export interface Alert {
  severity: AlertSeverity;
  /** Which part raised it: `monitor`, `performance`, `reconciliation`. */
  source: string;
  /** The run's date or the moment, YYYY-MM-DD or ISO time. */
  at: string;
  /** One line a person can act on. */
  message: string;
  /** The numbers behind it (value, threshold, model, symbol...). */
  details?: Record<string, unknown>;
}

export interface Notifier {
  /** `log`: alerts go to the log only; `webhook`: also POSTed to ALERT_WEBHOOK_URL. */
  readonly kind: 'log' | 'webhook';
  /** Deliver; never throws (a failed delivery is logged with the reason). Resolves whether it was delivered. */
  notify(alerts: readonly Alert[]): Promise<boolean>;
}

/** What the notifiers log through (a Temporal activity logger fits). */
export interface NotifyLogger {
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}
