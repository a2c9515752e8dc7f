/**
 * Records the stand-in keeps. Field names follow Klaviyo's wire format (snake_case) so a test
 * can compare what it sent with what was stored without translating names.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type ProfileLocation = Record<string, string | number | null>;

export interface ConsentRecord {
  consent: "SUBSCRIBED";
  consented_at: string;
  method: "API";
  custom_source: string | null;
  list_id: string | null;
}

export interface StoredProfile {
  id: string;
  email: string | null;
  phone_number: string | null;
  external_id: string | null;
  anonymous_id: string | null;
  first_name: string | null;
  last_name: string | null;
  organization: string | null;
  locale: string | null;
  title: string | null;
  image: string | null;
  location: ProfileLocation | null;
  properties: JsonObject;
  /** Keyed `email.marketing`, `sms.marketing`, `sms.transactional`, ... */
  subscriptions: Record<string, ConsentRecord>;
  created: string;
  updated: string;
  last_event_date: string | null;
}

export interface MetricIntegration {
  object: "integration";
  id: string;
  key: string;
  name: string;
  category: string;
}

export interface StoredMetric {
  id: string;
  name: string;
  created: string;
  updated: string;
  integration: MetricIntegration;
}

export interface StoredEvent {
  id: string;
  metric_id: string;
  metric_name: string;
  profile_id: string;
  properties: JsonObject;
  /** Truncated to the second, as Klaviyo does. */
  time: string;
  value: number | null;
  value_currency: string | null;
  /** The unique_id sent, or the time to the second when none was sent (Klaviyo's default). */
  unique_id: string;
  backfill: boolean;
  received_at: string;
}

export interface StoredList {
  id: string;
  name: string;
  opt_in_process: "double_opt_in" | "single_opt_in";
  created: string;
  updated: string;
  profile_ids: Set<string>;
  /** When each member joined (Get Profiles for List's `joined_group_at`). */
  joined_at: Map<string, string>;
}

export interface ImportError {
  id: string;
  code: string;
  title: string;
  detail: string;
  pointer: string;
  original_payload: JsonObject;
}

export type ImportJobStatus = "queued" | "processing" | "complete" | "cancelled";

export interface ProfileImportJob {
  id: string;
  status: ImportJobStatus;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  expires_at: string | null;
  total_count: number;
  completed_count: number;
  failed_count: number;
  list_ids: string[];
  /** The profile resource objects as sent; applied only when the job completes. */
  pending: JsonObject[];
  profile_ids: string[];
  errors: ImportError[];
}

export interface EventBulkJob {
  id: string;
  received_at: string;
  event_count: number;
}

export interface SubscriptionJob {
  id: string;
  received_at: string;
  list_id: string | null;
  profile_ids: string[];
  custom_source: string | null;
  historical_import: boolean;
}

export type AuthKind = "api-key" | "oauth" | "none" | "invalid";

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  query: string;
  status: number;
  auth: AuthKind;
  /** Klaviyo operationId when the route was recognised. */
  operation: string | null;
  revision: string | null;
  /** Parsed JSON body, or null when there was none or it did not parse. */
  body: Json | null;
}

export interface AccountSettings {
  id: string;
  test_account: boolean;
  organization_name: string;
  default_sender_name: string;
  default_sender_email: string;
  website_url: string | null;
  industry: string | null;
  timezone: string;
  preferred_currency: string;
  locale: string;
}
