// What /v1/parameters answers.
import { z } from 'zod';
import { PARAMETERS, PARAMETER_NAMES, type ParameterName } from '../domain/parameters.js';

/** One parameter's answer, its value and default held to the parameter's own schema. */
function parameterEntry(name: ParameterName) {
  const { schema, effect } = PARAMETERS[name];
  return z
    .strictObject({
      name: z.literal(name).describe("The parameter's name."),
      value: schema.describe('The value in force now.'),
      default: schema.describe("The product's default, in force until a value is set."),
      effect: z.string().describe('What the parameter does.'),
    })
    .describe(effect);
}

// Made from domain/'s list, so that every parameter is in it.
const [first, ...rest] = PARAMETER_NAMES.map(parameterEntry);

export const parameter = z
  .discriminatedUnion('name', [first!, ...rest])
  .describe('A system parameter with its value, default and effect (PUT /v1/parameters/{name} answers the one it changed).');

export const parameterList = z
  .strictObject({ items: z.array(parameter).describe('Every system parameter.') })
  .describe('The system parameters.');
