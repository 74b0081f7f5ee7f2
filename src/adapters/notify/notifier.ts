/**
 * The notifiers: every alert is logged (warning or error by severity); with
 * `ALERT_WEBHOOK_URL` set, the alerts of one call are also POSTed there as
 * one JSON document, `{ "text": "...", "alerts": [...] }` (`text` is what a
 * Slack or Mattermost incoming webhook shows; `alerts` is for anything that
 * reads JSON). A failed POST (network, 5xx, 429) is retried a few times with
 * backoff, then given up with a logged reason: the alerts are stored with
 * their runs anyway. The URL often carries a token, so it is a secret and
 * never appears in a message.
 */
import type { Alert, Notifier, NotifyLogger } from './types';

export interface WebhookNotifierOptions {
  url: string;
  logger: NotifyLogger;
  /** Attempts including the first. Default 3. */
  attempts?: number;
  /** First backoff, doubled per retry. Default 500 ms. */
  backoffMs?: number;
  /** Per-request timeout. Default 5 s. */
  timeoutMs?: number;
  /** Also log each alert (default). Off for callers that already write their own alert line (the reconciler). */
  logAlerts?: boolean;
}

function logAlerts(alerts: readonly Alert[], logger: NotifyLogger): void {
  for (const a of alerts) {
    const meta = { source: a.source, at: a.at, severity: a.severity, ...a.details };
    if (a.severity === 'critical') logger.error(`ALERT ${a.message}`, meta);
    else logger.warn(`ALERT ${a.message}`, meta);
  }
}

/** The text line per alert, as a chat shows it. */
export function alertText(alerts: readonly Alert[]): string {
  return alerts.map((a) => `${a.severity === 'critical' ? '[CRITICAL]' : '[warning]'} ${a.source} ${a.at}: ${a.message}`).join('\n');
}

export function createLogNotifier(logger: NotifyLogger): Notifier {
  return {
    kind: 'log',
    async notify(alerts) {
      logAlerts(alerts, logger);
      return true;
    },
  };
}

export function createWebhookNotifier(o: WebhookNotifierOptions): Notifier {
  const attempts = Math.max(1, o.attempts ?? 3);
  const backoffMs = o.backoffMs ?? 500;
  const timeoutMs = o.timeoutMs ?? 5000;
  const host = (() => {
    try {
      return new URL(o.url).host;
    } catch {
      return '(invalid URL)';
    }
  })();
  return {
    kind: 'webhook',
    async notify(alerts) {
      if (o.logAlerts !== false) logAlerts(alerts, o.logger);
      if (alerts.length === 0) return true;
      const body = JSON.stringify({ text: alertText(alerts), alerts });
      let reason = '';
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const res = await fetch(o.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(timeoutMs),
          });
          await res.text().catch(() => '');
          if (res.ok) return true;
          reason = `HTTP ${res.status}`;
          // A 4xx other than 429 is the receiver refusing this request: sending it again cannot help.
          if (res.status < 500 && res.status !== 429) break;
        } catch (err) {
          reason =
            (err as Error).name === 'TimeoutError'
              ? `no answer within ${timeoutMs} ms`
              : ((err as { cause?: Error }).cause?.message ?? (err as Error).message);
        }
        if (attempt < attempts) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
      }
      // The URL is a secret: name the host only.
      o.logger.error(`could not deliver ${alerts.length} alert(s) to the webhook at ${host}: ${reason}; they are stored with their runs`);
      return false;
    },
  };
}

/** The notifier the settings ask for: the webhook when ALERT_WEBHOOK_URL is set, else the log. */
export function createNotifier(settings: { webhookUrl?: string }, logger: NotifyLogger): Notifier {
  return settings.webhookUrl ? createWebhookNotifier({ url: settings.webhookUrl, logger }) : createLogNotifier(logger);
}

/** The webhook alone, for a caller that logs its own alert line; undefined without ALERT_WEBHOOK_URL. */
export function createWebhookOnlyNotifier(settings: { webhookUrl?: string }, logger: NotifyLogger): Notifier | undefined {
  return settings.webhookUrl ? createWebhookNotifier({ url: settings.webhookUrl, logger, logAlerts: false }) : undefined;
}
