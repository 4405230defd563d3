/**
 * Who talks to whom. Destinations are named by the profile (OpenStack: from the Keystone catalog),
 * else by `host:port`. Senders are named from the recorder's attribution; the wrapped command is
 * `<argv0>-client`. The config overrides any name, looked up by every key that identified the
 * participant.
 */
import type { FlowscribeConfig } from './config.js';
import type { Capture, ExchangeRecord } from './exchange.js';
import { DEFAULT_LISTENER } from './exchange.js';
import { ParticipantRegistry } from './participant-aliases.js';
import { profileFor } from './profiles/choose.js';
import type { ParticipantNaming, Profile, ServiceName } from './profiles/profile.js';
import { splitUrl } from './request-url.js';
import { clientNameForCommand, processDisplayName, programName, runsShell, userAgentDisplayName } from './source-names.js';
import type { Participant } from './flow.js';

/** Resolves both ends of every exchange of one capture. */
export interface ParticipantResolver {
  /** The wrapped command's participant; null in proxy mode (no argv). */
  client: Participant | null;
  source(exchange: ExchangeRecord): Participant;
  destination(exchange: ExchangeRecord): Participant;
}

/** The first configured name among `keys`, or undefined. */
function configured(config: FlowscribeConfig, keys: string[]): string | undefined {
  for (const key of keys) {
    const name = config.participants[key];
    if (name !== undefined) return name;
  }
  return undefined;
}

function destinationName(exchange: ExchangeRecord, service: (url: string) => ServiceName | null, config: FlowscribeConfig): string {
  const { hostPort } = splitUrl(exchange.request.url);
  const found = service(exchange.request.url);
  if (!found) return configured(config, [hostPort]) ?? hostPort;
  return configured(config, [hostPort, ...found.keys, found.name]) ?? found.name;
}

interface SenderContext {
  clientName: string | null;
  config: FlowscribeConfig;
  /** The command is a shell script, so each program it ran is its own participant (`curl-client`) rather than one `sh-client`. */
  perProgram: boolean;
  naming: ParticipantNaming;
}

/** The sender's name. */
function sourceName(exchange: ExchangeRecord, { clientName, config, perProgram, naming }: SenderContext): string {
  const s = exchange.source;
  switch (s.kind) {
    case 'listener':
      if (s.label === DEFAULT_LISTENER) return clientName ?? 'client';
      return configured(config, [s.label]) ?? s.label;
    case 'process': {
      if (s.isClient && perProgram) {
        const program = programName(s.comm, s.cmdline);
        return configured(config, [program, clientNameForCommand(program)]) ?? clientNameForCommand(program);
      }
      if (s.isClient) return clientName ?? configured(config, [s.comm]) ?? clientNameForCommand(s.comm);
      const name = processDisplayName(s.comm, s.cmdline, naming);
      return configured(config, [s.comm, name]) ?? name;
    }
    case 'user-agent': {
      const name = userAgentDisplayName(s.userAgent, clientName ?? naming.fallbackClient, naming);
      return configured(config, [name]) ?? name;
    }
    case 'unknown':
      return clientName ?? 'client';
  }
}

/**
 * Builds the resolver; aliases are handed out in the order participants are first asked for. The
 * profile is chosen from the capture when not given.
 */
export function resolveParticipants(capture: Capture, config: FlowscribeConfig, chosen?: Profile | null): ParticipantResolver {
  const naming = profileFor(capture, chosen).participants;
  const service = naming.services(capture);
  const registry = new ParticipantRegistry(naming.aliases);
  const argv0 = capture.header.argv?.[0];
  const perProgram = runsShell(capture.header.argv ?? []);
  const defaultClient = argv0 && !perProgram ? clientNameForCommand(argv0) : null;
  const clientName = defaultClient ? (configured(config, [argv0 ?? '', defaultClient]) ?? defaultClient) : null;
  const client = clientName ? registry.get(clientName) : null;
  const context: SenderContext = { clientName, config, perProgram, naming };
  // A destination's name depends on its URL alone, and URLs repeat (token checks, polling).
  const byUrl = new Map<string, Participant>();
  return {
    client,
    source: (e) => registry.get(sourceName(e, context)),
    destination: (e) => {
      let to = byUrl.get(e.request.url);
      if (!to) byUrl.set(e.request.url, (to = registry.get(destinationName(e, service, config))));
      return to;
    },
  };
}
