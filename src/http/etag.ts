import type { Request, Response } from 'express';
import { ValidationError } from '../errors.ts';
import { HttpProblem } from './problem.ts';

/**
 * An order's version travels as a strong ETag ("7") and comes back in
 * If-Match. A bare 7 is accepted too; weak tags and lists are not, since a
 * version check needs exactly one version.
 */
export function setVersionTag(res: Response, version: number): void {
  res.setHeader('ETag', `"${version}"`);
}

export function expectedVersion(req: Request, required: boolean): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) {
    if (required) throw new HttpProblem(428, 'precondition-required', 'send If-Match with the version (ETag) you edited', { field: 'If-Match' });
    return undefined;
  }
  const m = /^\s*(?:"([1-9][0-9]{0,9})"|([1-9][0-9]{0,9}))\s*$/.exec(header);
  const version = Number(m?.[1] ?? m?.[2]);
  if (!m || version > 2_147_483_647) throw new ValidationError('must be the order version as an ETag, e.g. "7"', { field: 'If-Match' });
  return version;
}
