/**
 * What a view of a capture is made of: participants, numbered arrows, variables. Types only (and
 * the background mark), so every model module can name them without importing timeline.ts.
 */
import type { Body, ExchangeRecord, RawHeaders } from './exchange.js';

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
  /** The exchange this arrow belongs to, with secrets redacted as `TimelineOptions.secrets` says. */
  exchange: ExchangeRecord;
  /** A service's call the command did not cause (background.ts); its label starts with BACKGROUND_MARK. */
  background: boolean;
}

/** What starts the label and title of a background call, in the diagram and the page's sections. */
export const BACKGROUND_MARK = '(background)';

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
  /** How many of the capture's exchanges were background calls (shown or not in this view). */
  backgroundCount: number;
  /** `seq`s of the exchanges drawn as activation bars (`--nest`): the ones that caused others. */
  nested?: ReadonlySet<number>;
}
