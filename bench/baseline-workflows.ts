// The benchmark's baseline: bare workflows doing what a callback lifecycle does to Temporal
// (one start, two updates, a number of activities) and nothing else.
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export const acceptBare = defineUpdate<string, [string]>('accept');
export const finishBare = defineUpdate<string, [string]>('finish');

const { noop } = proxyActivities<{ noop(n: number): Promise<number> }>({ startToCloseTimeout: '30 seconds' });

export async function bareLifecycle(activities: number): Promise<void> {
  let accepted = false;
  let finished = false;
  setHandler(acceptBare, async (agent) => {
    accepted = true;
    return agent;
  });
  setHandler(finishBare, async (agent) => {
    finished = true;
    return agent;
  });
  await condition(() => accepted);
  for (let i = 0; i < activities; i++) await noop(i);
  await condition(() => finished);
}

export async function bareStart(): Promise<void> {
  await noop(0);
}
