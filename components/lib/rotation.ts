/**
 * Tag on a Secrets Manager secret that no rotation schedule rotates, its value saying how it is
 * rotated instead (the policy pack's `secret-rotation` rule accepts it as a reviewed exemption;
 * docs/runbooks/rotate-secrets.md). Values keep to the characters AWS tag values allow: letters,
 * digits, spaces and `_ . : / = + - @`
 * and 255 at most (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_TagResource.html, read 2026-12-01).
 */
export const ROTATED_BY_TAG = "rotated-by";

/** The tags of a secret rotated by `how` (see {@link ROTATED_BY_TAG}). */
export function rotatedBy(how: string): Record<string, string> {
  return { [ROTATED_BY_TAG]: how };
}
