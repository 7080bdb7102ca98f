export { defineTool, type Tool, type ToolSpec, type ToolContext, type ToolEffect, type ToolPreview } from './define-tool';
export {
  ToolRegistry,
  toolInputJsonSchema,
  validateToolInput,
  formatZodIssues,
  type RegisteredTool,
  type ToolInputValidation,
} from './tool-registry';
