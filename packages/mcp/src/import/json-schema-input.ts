import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { z } from 'zod';

// ajv-formats is CommonJS; under ESM its function may sit on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

let draft7: Ajv | undefined;
let draft2020: Ajv | undefined;

function compilerFor(schema: Record<string, unknown>): Ajv {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared.includes('2020-12') || declared.includes('2019-09')) {
    draft2020 ??= addFormats(new Ajv2020({ allErrors: true, strict: false }) as unknown as Ajv);
    return draft2020;
  }
  draft7 ??= addFormats(new Ajv({ allErrors: true, strict: false }));
  return draft7;
}

/**
 * A zod schema that validates with a JSON Schema (an MCP tool's `inputSchema`), so a tool imported from MCP goes
 * through core's ordinary validation. `z.toJSONSchema` of it gives back the JSON Schema itself, so the model is
 * offered, and the meter counts under `tool_schemas`, exactly what the server declared.
 * @throws Error when the JSON Schema does not compile (the caller reports the tool as not importable).
 */
export function jsonSchemaInput(schema: Record<string, unknown>): z.ZodType<Record<string, unknown>> {
  // `id` is zod's own registry key in metadata, and `$schema` is added by zod itself: neither is passed through.
  const { $schema, id: _id, ...rest } = schema;
  const validate: ValidateFunction = compilerFor(schema).compile($schema === undefined ? rest : { $schema, ...rest });
  // z.unknown() adds nothing of its own to the JSON Schema: what the model sees is the server's schema, unchanged.
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (validate(value)) return;
      for (const error of validate.errors ?? []) {
        const path = error.instancePath.split('/').filter(Boolean);
        ctx.addIssue({ code: 'custom', path, message: `${error.message ?? 'is invalid'}${error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}` });
      }
    })
    .meta(rest) as unknown as z.ZodType<Record<string, unknown>>;
}
