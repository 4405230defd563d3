/**
 * CA files as a recording's start reads them: their PEM certificate blocks, each file read and split
 * once. Machines often name one bundle in several variables, and the system bundle is read both for
 * the recorder's upstream trust and for the bundle the command is given (issue 13: reading and
 * splitting it a second time cost ~11 M instructions of `record`'s start).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** The certificate blocks of a PEM text, each normalized (one line ending style, no surrounding text). */
export function pemCertificates(text: string): string[] {
  return [...text.matchAll(PEM_CERT)].map((m) => `${m[0].replace(/\r\n/g, '\n')}\n`);
}

/**
 * True when `pem` parses as an X.509 certificate. A parse costs ~2 M instructions (OpenSSL decodes
 * the public key): a start parses only what it must, a block that looks like a certificate is
 * parsed where it is used.
 */
export function isCertificate(pem: string): boolean {
  try {
    return Boolean(new X509Certificate(pem));
  } catch {
    return false;
  }
}

/** A CA file's text and its certificate blocks (not parsed), split when first asked for. */
export class CaFileText {
  private blocks: string[] | undefined;

  constructor(readonly text: string) {}

  get pems(): string[] {
    return (this.blocks ??= pemCertificates(this.text));
  }
}

/** Reads each CA file once; one reader per recording's start, so a changed file is read anew next time. */
export class CaFileReader {
  private readonly files = new Map<string, CaFileText | Error>();

  /** The file's text and certificate blocks; throws the read's error (the same one each time). */
  read(path: string): CaFileText {
    let file = this.files.get(path);
    if (!file) {
      try {
        file = new CaFileText(readFileSync(path, 'utf8'));
      } catch (err) {
        file = err as Error;
      }
      this.files.set(path, file);
    }
    if (file instanceof Error) throw file;
    return file;
  }
}
