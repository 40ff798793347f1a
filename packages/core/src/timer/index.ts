export { Timer, type Clock, type ScheduleOptions, type TimerErrorHandler, type TimerOptions } from './timer.js';
export { defaultTimer } from './default-timer.js';
export { TaskResult, type RetryAfter, type TaskFunction } from './task-result.js';
export type { TimerTask } from './timer-task.js';
