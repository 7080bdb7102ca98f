export type {
  MemoryKind,
  MemorySource,
  MemoryScope,
  NewMemoryItem,
  MemoryItem,
  RecallOptions,
  RecalledMemory,
  ListMemoryOptions,
  MemoryPatch,
  MemoryStore,
} from './memory-store';
export { InMemoryMemoryStore, type InMemoryMemoryStoreOptions } from './in-memory-memory-store';
export type { Embedder } from './embedder';
export { memoryScopesFor, principalScope } from './memory-scopes';
export { buildMemoryContext, formatMemoryLine, type MemoryContext, type MemoryContextOptions } from './memory-context';
export { writeEpisode, formatEpisode, type WriteEpisodeOptions, type EpisodeAction } from './write-episode';
export { memoryTools, type MemoryToolsOptions, type MemorySearchHit, type MemorySaveResult } from './memory-tools';
export { dream, type DreamOptions } from './dream';
export type {
  DreamDiff,
  DreamOutcome,
  DreamAddition,
  DreamMerge,
  DreamDrop,
  DreamRejection,
  DreamChanges,
} from './dream-diff';
export { DREAM_INSTRUCTIONS } from './dream-prompt';
export { rollbackDream, type DreamRollback } from './rollback-dream';
export { scheduleDreams, type ScheduleDreamsOptions, type ScheduledDream, type DreamSchedule } from './schedule-dreams';
