import { z } from 'zod';
import { stringify } from 'yaml';
import type { AnyStep } from '../sdk/step.js';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  items?: JsonSchema;
  enum?: unknown[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  pattern?: string;
}

/** A field of a step's input or output, as the docs show it. */
export interface FieldDoc {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

export function fieldsOf(schema: z.ZodType, io: 'input' | 'output'): FieldDoc[] {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, field]) => ({
    name,
    type: typeName(field),
    required: required.has(name) && field.default === undefined,
    ...(field.default !== undefined ? { default: field.default } : {}),
    ...(field.description ? { description: field.description } : {}),
  }));
}

function typeName(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.anyOf) return schema.anyOf.map(typeName).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  if (type === 'array') return `${schema.items ? typeName(schema.items) : 'any'}[]`;
  if (type === 'object' && typeof schema.additionalProperties === 'object') return `map of ${typeName(schema.additionalProperties)}`;
  return type;
}

/** The Markdown reference of one step, generated from its schemas and examples. */
export function renderStepDoc(step: AnyStep): string {
  const lines = [`## \`${step.id}\``, '', step.description, '', `Kind: ${step.kind}${step.workspace ? ' · needs a workspace' : ''}${step.lands ? ` · ${step.lands} the change` : ''}`, ''];
  lines.push('Input (`with:`):', '', ...fieldTable(fieldsOf(step.input, 'input')), '', 'Output (`steps.<id>.outputs`):', '', ...fieldTable(fieldsOf(step.output, 'output')), '');
  for (const example of step.examples) {
    lines.push(`Example — ${example.title}:`, '', '```yaml', stringify({ uses: step.id, with: example.with }).trimEnd(), '```', '');
  }
  return lines.join('\n');
}

function fieldTable(fields: readonly FieldDoc[]): string[] {
  if (fields.length === 0) return ['(none)'];
  return [
    '| field | type | required | default | description |',
    '| --- | --- | --- | --- | --- |',
    ...fields.map((field) => `| \`${field.name}\` | ${field.type.replace(/\|/g, '\\|')} | ${field.required ? 'yes' : 'no'} | ${field.default === undefined ? '' : `\`${JSON.stringify(field.default)}\``} | ${field.description ?? ''} |`),
  ];
}

/** The whole generated step reference (`docs/steps.md`). */
export function renderStepReference(steps: readonly AnyStep[]): string {
  return ['# Step reference', '', '_Generated from the step definitions by `flotilla steps --markdown`; do not edit by hand._', '', ...steps.map(renderStepDoc)].join('\n');
}
