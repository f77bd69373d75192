// The workflow API as the release before the named patches ran it: `patched()` of a patch that
// release did not have answers false and writes no marker, so the current workflow code takes the
// branch that release's code took, command for command. Bundled in place of @temporalio/workflow
// to run "the old worker" in the upgrade test.
import { patched as patchedNow } from '@temporalio/workflow/lib/index.js';

export * from '@temporalio/workflow/lib/index.js';

/** Patches added since the previous release. */
export const UNRELEASED_PATCHES = new Set(['phone-not-searchable', 'business-hours']);

export function patched(patchId: string): boolean {
  return UNRELEASED_PATCHES.has(patchId) ? false : patchedNow(patchId);
}
