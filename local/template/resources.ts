import { isObject, type CfnResource, type CfnTemplate, type JsonObject } from './types';

/** Logical ids and resources of one type, in template order. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export const asObject = (value: unknown, where: string): JsonObject => {
  if (!isObject(value)) throw new Error(`${where} should be an object`);
  return value;
};

export const asString = (value: unknown, where: string): string => {
  if (typeof value !== 'string') throw new Error(`${where} should be a string, got ${JSON.stringify(value)}`);
  return value;
};

export const asStrings = (value: unknown, where: string): string[] =>
  (Array.isArray(value) ? value : []).map((item, i) => asString(item, `${where}[${i}]`));
