/**
 * The timeline: a capture turned into numbered arrows between named participants — what both the
 * mermaid diagram and the page's `### (n)` sections are made from, so their numbers always agree.
 * Types first (the contract between model and renderers); the implementation follows below them.
 */
import type { ExchangeRecord, RawHeaders, Body } from './exchange.js';

export interface Participant {
  /** Mermaid alias, a short identifier (`osc`, `keystone`, `glance`, `swift`). */
  alias: string;
  /** Display name (`openstack-client`, `keystone-api`, `glance-api`, `swift-proxy-server`, or `host:port`). */
  name: string;
}

/** One side of an exchange as the page shows it, with secrets already masked/labelled. */
export interface ArrowMessage {
  /** `GET http://host/identity` for a request, `300 MULTIPLE CHOICES http://host/identity` for a response. */
  httpTitle: string;
  headers: RawHeaders;
  body: Body;
}

export interface Arrow {
  /** The diagram's autonumber, 1-based. */
  n: number;
  kind: 'request' | 'response';
  from: Participant;
  to: Participant;
  /** Arrow text: `GET /v3/auth/tokens` or `201 CREATED /v3/endpoints/{image_endpoint_id}` (no query string). */
  label: string;
  /** Section title: like `label` but with the query string kept. */
  title: string;
  message: ArrowMessage;
  /** The exchange this arrow belongs to. */
  exchange: ExchangeRecord;
}

export interface Variable {
  /** Placeholder name without braces (`image_id`). */
  name: string;
  value: string;
}

export interface Timeline {
  /** In order of first appearance, the client first. */
  participants: Participant[];
  arrows: Arrow[];
  /** Variables used in this timeline's labels, in first-seen order. */
  variables: Variable[];
}
