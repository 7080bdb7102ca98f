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
