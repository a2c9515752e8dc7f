/**
 * Resource serializers: stored records → JSON:API resource objects shaped like the 2026-07-15
 * response schemas (snake_case attributes, absolute `links.self`).
 */
import type {
  AccountSettings,
  ImportError,
  JsonObject,
  ProfileImportJob,
  StoredList,
  StoredMetric,
  StoredProfile,
} from "./model";

export function profileResource(p: StoredProfile, base: string, extra: Set<string>): JsonObject {
  const attributes: JsonObject = {
    email: p.email,
    phone_number: p.phone_number,
    external_id: p.external_id,
    first_name: p.first_name,
    last_name: p.last_name,
    organization: p.organization,
    locale: p.locale,
    title: p.title,
    image: p.image,
    created: p.created,
    updated: p.updated,
    last_event_date: p.last_event_date,
    location: p.location,
    properties: structuredClone(p.properties),
  };
  if (extra.has("subscriptions")) attributes.subscriptions = subscriptionsView(p);
  if (extra.has("predictive_analytics")) attributes.predictive_analytics = null;
  const self = `${base}/api/profiles/${p.id}/`;
  return {
    type: "profile",
    id: p.id,
    attributes,
    relationships: {
      lists: { links: { self: `${self}relationships/lists/`, related: `${self}lists/` } },
      segments: { links: { self: `${self}relationships/segments/`, related: `${self}segments/` } },
    },
    links: { self },
  };
}

function subscriptionsView(p: StoredProfile): JsonObject {
  const email = p.subscriptions["email.marketing"];
  const sms = p.subscriptions["sms.marketing"];
  return {
    email: {
      marketing: {
        can_receive_email_marketing: email !== undefined,
        consent: email ? "SUBSCRIBED" : "NEVER_SUBSCRIBED",
        consent_timestamp: email?.consented_at ?? null,
        method: email?.method ?? null,
        method_detail: email?.custom_source ?? "",
        suppression: [],
        list_suppressions: [],
      },
    },
    sms: {
      marketing: {
        can_receive_sms_marketing: sms !== undefined,
        consent: sms ? "SUBSCRIBED" : "NEVER_SUBSCRIBED",
        consent_timestamp: sms?.consented_at ?? null,
        method: sms?.method ?? null,
        method_detail: sms?.custom_source ?? "",
      },
    },
  };
}

export function metricResource(m: StoredMetric, base: string): JsonObject {
  return {
    type: "metric",
    id: m.id,
    attributes: {
      name: m.name,
      created: m.created,
      updated: m.updated,
      integration: { ...m.integration },
    },
    relationships: {},
    links: { self: `${base}/api/metrics/${m.id}/` },
  };
}

export function listResource(l: StoredList, base: string): JsonObject {
  return {
    type: "list",
    id: l.id,
    attributes: {
      name: l.name,
      created: l.created,
      updated: l.updated,
      opt_in_process: l.opt_in_process,
    },
    relationships: {},
    links: { self: `${base}/api/lists/${l.id}/` },
  };
}

export function importJobResource(j: ProfileImportJob, base: string): JsonObject {
  const self = `${base}/api/profile-bulk-import-jobs/${j.id}/`;
  return {
    type: "profile-bulk-import-job",
    id: j.id,
    attributes: {
      status: j.status,
      created_at: j.created_at,
      total_count: j.total_count,
      completed_count: j.completed_count,
      failed_count: j.failed_count,
      completed_at: j.completed_at,
      expires_at: j.expires_at,
      started_at: j.started_at,
    },
    relationships: {
      lists: {
        data: j.list_ids.map((id) => ({ type: "list", id })),
        links: { self: `${self}relationships/lists/`, related: `${self}lists/` },
      },
      profiles: { links: { self: `${self}relationships/profiles/`, related: `${self}profiles/` } },
      "import-errors": { links: { related: `${self}import-errors/` } },
    },
    links: { self },
  };
}

export function importErrorResource(e: ImportError): JsonObject {
  return {
    type: "import-error",
    id: e.id,
    attributes: {
      code: e.code,
      title: e.title,
      detail: e.detail,
      source: { pointer: e.pointer },
      original_payload: e.original_payload,
    },
  };
}

export function accountResource(a: AccountSettings, base: string): JsonObject {
  return {
    type: "account",
    id: a.id,
    attributes: {
      test_account: a.test_account,
      contact_information: {
        default_sender_name: a.default_sender_name,
        default_sender_email: a.default_sender_email,
        website_url: a.website_url,
        organization_name: a.organization_name,
        street_address: {
          address1: null,
          address2: null,
          city: null,
          region: null,
          country: null,
          zip: null,
        },
      },
      industry: a.industry,
      timezone: a.timezone,
      preferred_currency: a.preferred_currency,
      public_api_key: a.id,
      locale: a.locale,
    },
    links: { self: `${base}/api/accounts/${a.id}/` },
  };
}
