import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseInput, ValidationError } from '@contactkit/core';
import { MigrationPlanSchema, type MigrationPlan } from './plan-types';

/** Reads and checks a plan file: anything damaged is a ValidationError naming the bad field, before any request. */
export function readPlan(path: string | undefined): MigrationPlan {
  if (!path) throw new ValidationError([{ path: '<plan.json>', message: 'give the plan file' }]);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ValidationError([{ path: '<plan.json>', message: `cannot read ${path} as JSON (${(error as Error).message.split('\n')[0]})` }]);
  }
  const head = raw as { format?: unknown; version?: unknown } | null;
  if (head?.format !== 'contactkit-migration-plan') throw new ValidationError([{ path: '<plan.json>', message: `${path} is not a contactkit migration plan` }]);
  if (head.version !== 1) throw new ValidationError([{ path: 'plan.version', message: `version ${String(head.version)} is not supported by this contactkit (it reads version 1)` }]);
  return parseInput(MigrationPlanSchema, raw, { prefix: 'plan' });
}

/** Writes a plan whole or not at all (a crash mid-write leaves the previous file). */
export function writePlan(path: string, plan: MigrationPlan): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(plan, null, 2) + '\n');
  renameSync(tmp, path);
}
