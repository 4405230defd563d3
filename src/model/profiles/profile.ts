/**
 * A profile: what flowscribe knows about one kind of traffic beyond HTTP itself. The core names
 * participants by host, variables by path segment and JSON key, and folds nothing; a profile adds
 * the names a reader of that system knows (OpenStack: `glance-api` from the Keystone catalog,
 * `{image_endpoint_id}`, `{token: admin@admin}`), what the summary leaves out, and the page's
 * wording. The secrets policy is not a profile's: masking never depends on a guess about the
 * traffic (one home, redact-policy.ts).
 */
import type { Capture } from '../exchange.js';
import type { Filter } from '../filter-spec.js';
import type { Json } from '../json-body.js';
import type { Lang } from '../page-lang.js';

export type ProfileName = 'openstack' | 'http';

export const PROFILE_NAMES: readonly ProfileName[] = ['openstack', 'http'];

/** A value → name clue for variables; the first clue for a value wins. */
export type Hint = [value: string, name: string];

/** A destination named by the profile, with every key the config may rename it by. */
export interface ServiceName {
  name: string;
  /** Config keys besides `host:port` and the name itself (`image`, `glance`). */
  keys: string[];
}

export interface ParticipantNaming {
  /** A namer for one capture's destinations (null: the core shows `host:port`). */
  services(capture: Capture): (url: string) => ServiceName | null;
  /** Service process names, to recognise a sender by its comm (also when truncated) or command line. */
  knownProcesses: readonly string[];
  /** The process for a project word (`/etc/glance/`, a `glance/25.0.1` User-Agent), or null. */
  processForProject(word: string): string | null;
  /** Whether a User-Agent product is the recorded command's own client library. */
  isCommandClient(product: string): boolean;
  /** The client's name when a sender is known only by that client library and there is no command. */
  fallbackClient: string;
  /** Short mermaid aliases for names whose first word would not do (`openstack-client` → `osc`). */
  aliases: Readonly<Record<string, string>>;
}

/** What a request did with a token (`X-Auth-Token`: used; `X-Subject-Token`: validated; `X-Service-Token`: service). */
export type TokenUseKind = 'used' | 'validated' | 'service';

/** What the issuer said about a token (when the capture holds a response describing it). */
export interface TokenFacts {
  /** `user@project`, `user@system`, `user@domain:NAME`, or just the user. */
  owner: string | null;
  scope: 'project' | 'system' | 'domain' | 'unscoped';
  /** Authentication methods (`password`, `token`, `application_credential`). */
  methods: string[];
  expiresAt: string | null;
  /** Services in the token's catalog; null when the response had none (`?nocatalog`). */
  catalogSize: number | null;
}

/** A token a response issued or described. */
export interface DescribedToken {
  token: string;
  /** The exchange whose response described it. */
  seq: number;
  /** Issued by this response (a POST), not just validated. */
  issued: boolean;
  facts: TokenFacts;
}

/** The wording a profile gives the page where the generic labels would not say what is folded. */
export interface SummaryWording {
  /** Heading of the full diagram when a summary is shown first. */
  fullDiagramHeading: string;
  /** Paragraph under the summary diagram, linking to the full one. */
  summaryNote: string;
}

export interface PageWording {
  /** How an empty request body is shown (the reference page printed Python's `None`). */
  emptyRequestBody: string;
  summary: Readonly<Record<Lang, SummaryWording>>;
  /** The command section's heading and block title for a program, or null for the generic ones. */
  commandSection(program: string): { heading: string; blockTitle: string } | null;
}

export interface Profile {
  name: ProfileName;
  participants: ParticipantNaming;
  /** Clues in a response body beyond the generic ones (catalog ids, token projects); `byClient`: the command's own call. */
  responseHints(body: Json, byClient: boolean): Hint[];
  /** Tokens the capture's responses issued or described, in capture order. */
  describedTokens(capture: Capture): DescribedToken[];
  /** Request headers that carry a token, and what sending it there means (the token view). */
  tokenUses: ReadonlyArray<readonly [header: string, kind: TokenUseKind]>;
  /**
   * A path-segment prefix before a project id (Swift's `AUTH_`): `AUTH_<id>` is `AUTH_{project_id}`,
   * and a config-named literal after it keeps the prefix. Null: no such convention.
   */
  accountPrefix: string | null;
  /** Headers that link a service's call to the request it serves (lower case), for `--nest` and OTLP parents. */
  requestIdHeaders: readonly string[];
  /** What the summary folds when the config names nothing; applied to services' calls only. */
  summaryExclude: readonly Filter[];
  wording: PageWording;
}
