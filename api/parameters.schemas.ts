// What /v1/parameters answers.
import { z } from 'zod';
import { PARAMETERS, type ParameterName } from '../domain/parameters.js';
import type { Parameters } from '../domain/parameters.js';

/** One parameter's answer; the check at the bottom holds each value to its parameter's own schema. */
function parameterEntry<N extends ParameterName, S extends z.ZodType>(name: N, schema: S) {
  return z
    .strictObject({
      name: z.literal(name).describe("The parameter's name."),
      value: schema.describe('The value in force now.'),
      default: schema.describe("The product's default, in force until a value is set."),
      effect: z.string().describe('What the parameter does.'),
    })
    .describe(PARAMETERS[name].effect);
}

export const parameter = z
  .discriminatedUnion('name', [
    parameterEntry('enableCallbackService', PARAMETERS.enableCallbackService.schema),
    parameterEntry('callbackBufferMax', PARAMETERS.callbackBufferMax.schema),
    parameterEntry('callbackDuplicatePolicy', PARAMETERS.callbackDuplicatePolicy.schema),
    parameterEntry('waitingListFirst', PARAMETERS.waitingListFirst.schema),
    parameterEntry('defaultValidityHours', PARAMETERS.defaultValidityHours.schema),
    parameterEntry('offerTimeoutSeconds', PARAMETERS.offerTimeoutSeconds.schema),
    parameterEntry('lastAgentRetentionDays', PARAMETERS.lastAgentRetentionDays.schema),
  ])
  .describe('A system parameter with its value, default and effect (PUT /v1/parameters/{name} answers the one it changed).');

export const parameterList = z
  .strictObject({ items: z.array(parameter).describe('Every system parameter.') })
  .describe('The system parameters.');

// The parameters domain/ defines and this schema are one: a change to either fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _parameterNames: Same<z.infer<typeof parameter>['name'], ParameterName> = true;
const _parameterValues: Same<{ [K in ParameterName]: Extract<z.infer<typeof parameter>, { name: K }>['value'] }, Parameters> = true;
void [_parameterNames, _parameterValues];
