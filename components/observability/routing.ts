import { Priority } from "./types";

/**
 * Where notifications go. Prod pages through Opsgenie (the monitor's priority becomes the Opsgenie
 * alert's P1..P5); other environments notify a non-paging channel, or nobody.
 */
export interface Routing {
  /** Datadog handle of the Opsgenie service, e.g. `@opsgenie-platform-prod` (prod only). */
  page?: string;
  /** Non-paging handle for warnings (and, without `page`, for alerts), e.g. `@slack-platform-dev`. */
  channel?: string;
}

/** Datadog's `priority` field for a monitor: "1".."5", which its Opsgenie integration maps to P1..P5. */
export function datadogPriority(p: Priority): string {
  return String(p);
}

/**
 * The monitor message: what fired, where to look, and the handles. Paging handles are inside
 * alert/no-data/recovery blocks, so warnings never page and Opsgenie closes the alert on recovery.
 */
export function notificationMessage(args: { title: string; environment: string; priority: Priority; hint: string; routing: Routing }): string {
  const { routing } = args;
  const lines = [`${args.title} (${args.environment}, P${args.priority}).`, `First look at: ${args.hint}.`];
  if (routing.page) {
    lines.push(`{{#is_alert}}${routing.page}{{/is_alert}}{{#is_no_data}}${routing.page}{{/is_no_data}}{{#is_alert_recovery}}${routing.page}{{/is_alert_recovery}}`);
    if (routing.channel) lines.push(`{{#is_warning}}${routing.channel}{{/is_warning}}{{#is_warning_recovery}}${routing.channel}{{/is_warning_recovery}}`);
  } else if (routing.channel) {
    lines.push(`{{#is_alert}}${routing.channel}{{/is_alert}}{{#is_warning}}${routing.channel}{{/is_warning}}{{#is_no_data}}${routing.channel}{{/is_no_data}}{{#is_recovery}}${routing.channel}{{/is_recovery}}`);
  }
  return lines.join("\n");
}
