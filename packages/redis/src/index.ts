export { createRedisCoordinator, CoordinatorUnavailableError } from './coordinator';
export type { RedisCoordinator, RedisCoordinatorOptions } from './coordinator';
export { RedisJournal, RedisSealedStore, readSealedPasswords, JournalBusyError, RedisUnavailableError, startMigrationWorker, submitMigration } from './jobs';
export type {
  RedisJournalOptions,
  RedisJournalStore,
  PlanLike,
  MigrationProgress,
  JobsConnection,
  StartMigrationWorkerOptions,
  MigrationWorker,
  MigrationJobEvent,
  SubmittedMigration,
} from './jobs';
