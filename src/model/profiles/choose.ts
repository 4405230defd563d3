/**
 * Which profile renders a capture: the one asked for (`--profile`), else OpenStack when the capture
 * shows Keystone (see `isOpenStackCapture`), else generic HTTP.
 */
import { UserError } from '../../errors.js';
import type { Capture } from '../exchange.js';
import { httpProfile } from './http.js';
import { isOpenStackCapture, openstackProfile } from './openstack/profile.js';
import { PROFILE_NAMES, type Profile, type ProfileName } from './profile.js';

const PROFILES: Record<ProfileName, Profile> = { openstack: openstackProfile, http: httpProfile };

/** What `--profile` accepts: a profile's name, or `auto`. */
export type ProfileChoice = 'auto' | ProfileName;

export const PROFILE_CHOICES: readonly ProfileChoice[] = ['auto', ...PROFILE_NAMES];

/** The profile named `name` (`auto`: null, to detect it per capture); a one-line error for any other name. */
export function profileNamed(name: string, where = '--profile'): Profile | null {
  if (name === 'auto') return null;
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) {
    throw new UserError(`${where} ${name}: unknown profile (choose ${PROFILE_CHOICES.join(', ')})`, 2);
  }
  return PROFILES[name as ProfileName];
}

const detected = new WeakMap<object, Profile>();

/** `chosen` when given, else the profile the capture's traffic calls for (remembered per capture). */
export function profileFor(capture: Pick<Capture, 'header' | 'exchanges'>, chosen?: Profile | null): Profile {
  if (chosen) return chosen;
  const known = detected.get(capture);
  if (known) return known;
  const profile = isOpenStackCapture(capture) ? openstackProfile : httpProfile;
  detected.set(capture, profile);
  return profile;
}
