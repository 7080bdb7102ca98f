import { z } from 'zod';
import { DuplicateToolError, ToolInputError } from '../errors';
import type { JsonSchema, ModelToolSpec } from '../model/model-provider';
import type { Tool } from './define-tool';

/** A tool together with where it came from. */
export interface RegisteredTool {
  tool: Tool;
  /** The skill that contributed it, or undefined for tools given to the agent directly. */
  skill?: string;
}

/** Result of validating model-produced input against a tool's schema. */
export type ToolInputValidation<T = unknown> =
  | { success: true; input: T }
  | { success: false; error: ToolInputError };

/**
 * The set of tools an agent can offer. Lookups are own-property only: tool names come from the model,
 * and a model asking for `constructor` or `__proto__` must find nothing.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, RegisteredTool>();
  private readonly schemas = new Map<string, JsonSchema>();

  /** @throws DuplicateToolError when a tool of that name is already registered. */
  register(tool: Tool, skill?: string): void {
    if (this.tools.has(tool.name)) throw new DuplicateToolError(tool.name);
    this.tools.set(tool.name, skill === undefined ? { tool } : { tool, skill });
  }

  /** The tool of that name, or undefined. Never consults a prototype chain. */
  resolve(name: unknown): RegisteredTool | undefined {
    return typeof name === 'string' ? this.tools.get(name) : undefined;
  }

  /** Every registered tool, in registration order. */
  list(): RegisteredTool[] {
    return [...this.tools.values()];
  }

  /** JSON Schema of a tool's input (cached: schemas are immutable once defined). */
  jsonSchema(tool: Tool): JsonSchema {
    let schema = this.schemas.get(tool.name);
    if (!schema) {
      schema = toolInputJsonSchema(tool);
      this.schemas.set(tool.name, schema);
    }
    return schema;
  }

  /** The specs to send to a model for the given tools. */
  modelSpecs(tools: readonly Tool[]): ModelToolSpec[] {
    return tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: this.jsonSchema(tool) }));
  }
}

/** Converts a tool's zod input schema to JSON Schema (draft 2020-12, as zod 4 emits it). */
export function toolInputJsonSchema(tool: Tool): JsonSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return schema;
}

/** Validates model-produced input; failures become a `ToolInputError` the model can read and correct. */
export function validateToolInput<T>(tool: Tool<T>, input: unknown): ToolInputValidation<T> {
  const parsed = tool.input.safeParse(input);
  if (parsed.success) return { success: true, input: parsed.data };
  return { success: false, error: new ToolInputError(tool.name, formatZodIssues(parsed.error)) };
}

/** Flattens zod issues into `{ path, message }` pairs for error messages. */
export function formatZodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
